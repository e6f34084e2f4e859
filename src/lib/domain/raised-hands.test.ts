import { describe, expect, it } from 'vitest';
import {
	addRaisedHand,
	keepHandsOfCurrentCase,
	orderRaisedHands,
	removeRaisedHand,
	type RaisedHand
} from './raised-hands';

const at = (minute: number): Date => new Date(Date.UTC(2027, 2, 9, 16, minute));
const hand = (key: string, minute: number): RaisedHand => ({
	key,
	name: key,
	specialty: null,
	raisedAt: at(minute)
});

describe('raised hands', () => {
	it('lists hands in the order they were raised, whatever the order they arrive in', () => {
		const list = [hand('user:c', 3), hand('user:a', 1), hand('guest:b', 2)];
		expect(orderRaisedHands(list).map((h) => h.key)).toEqual(['user:a', 'guest:b', 'user:c']);
	});

	it('settles the same instant by key, so every screen shows the same order', () => {
		const list = [hand('user:z', 1), hand('user:m', 1)];
		expect(orderRaisedHands(list).map((h) => h.key)).toEqual(['user:m', 'user:z']);
		expect(orderRaisedHands([...list].reverse()).map((h) => h.key)).toEqual(['user:m', 'user:z']);
	});

	it('keeps the place and time of a hand raised twice', () => {
		let list = addRaisedHand([], hand('user:a', 1));
		list = addRaisedHand(list, hand('user:b', 2));
		list = addRaisedHand(list, hand('user:a', 5));
		expect(list.map((h) => [h.key, h.raisedAt.getUTCMinutes()])).toEqual([
			['user:a', 1],
			['user:b', 2]
		]);
	});

	it('lowers one hand and leaves the others in order; lowering twice changes nothing', () => {
		const list = [hand('user:a', 1), hand('user:b', 2), hand('user:c', 3)];
		const lowered = removeRaisedHand(list, 'user:b');
		expect(lowered.map((h) => h.key)).toEqual(['user:a', 'user:c']);
		expect(removeRaisedHand(lowered, 'user:b')).toEqual(lowered);
		expect(list).toHaveLength(3); // the input is not changed
	});

	it('lowers a guest’s hand once her case is no longer on screen, and keeps the members’', () => {
		const guest = { ...hand('guest:g', 2), caseId: 'case-2' };
		const list = [hand('user:a', 1), guest, hand('user:c', 3)];
		// Her case is current: nothing changes.
		expect(keepHandsOfCurrentCase(list, 'case-2').map((h) => h.key)).toEqual([
			'user:a',
			'guest:g',
			'user:c'
		]);
		// The chair moves to another case, or shows none: her hand goes, the others keep their place.
		expect(keepHandsOfCurrentCase(list, 'case-3').map((h) => h.key)).toEqual(['user:a', 'user:c']);
		expect(keepHandsOfCurrentCase(list, null).map((h) => h.key)).toEqual(['user:a', 'user:c']);
		// A hand without a case (a member's) spans the whole meeting.
		expect(keepHandsOfCurrentCase([hand('user:a', 1)], null)).toHaveLength(1);
		expect(list).toHaveLength(3);
	});
});
