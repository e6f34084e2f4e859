import { describe, expect, it } from 'vitest';
import { countMeetingSubscribers, publishMeetingEvent, subscribeMeeting } from './bus';

describe('meeting event bus', () => {
	it('delivers an event to every subscriber of that meeting only', () => {
		const a: string[] = [];
		const b: string[] = [];
		const other: string[] = [];
		const offA = subscribeMeeting('m1', (e) => a.push(e.type));
		subscribeMeeting('m1', (e) => b.push(e.type));
		subscribeMeeting('m2', (e) => other.push(e.type));
		publishMeetingEvent('m1', { type: 'case_changed' });
		expect(a).toEqual(['case_changed']);
		expect(b).toEqual(['case_changed']);
		expect(other).toEqual([]);
		offA();
		publishMeetingEvent('m1', { type: 'quorum_changed' });
		expect(a).toEqual(['case_changed']);
		expect(b).toEqual(['case_changed', 'quorum_changed']);
		expect(countMeetingSubscribers('m1')).toBe(1);
	});

	it('keeps delivering when one listener throws', () => {
		const got: string[] = [];
		subscribeMeeting('m3', () => {
			throw new Error('broken client');
		});
		subscribeMeeting('m3', (e) => got.push(e.type));
		const original = console.error;
		console.error = () => {};
		publishMeetingEvent('m3', { type: 'x' });
		console.error = original;
		expect(got).toEqual(['x']);
	});
});
