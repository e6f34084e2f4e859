import { describe, expect, it } from 'vitest';
import { checkNewOrder, moveInOrder, planAgenda } from './agenda-plan';

describe('agenda plan', () => {
	const start = new Date('2026-12-01T16:30:00Z');
	const end = new Date('2026-12-01T18:00:00Z');

	it('adds estimates, falls back to the default, and places each case in time', () => {
		const plan = planAgenda(
			[
				{ id: 'a', minutes: 20 },
				{ id: 'b', minutes: null },
				{ id: 'c', minutes: 5 }
			],
			10,
			start,
			end
		);
		expect(plan.items.map((i) => [i.id, i.position, i.minutes, i.estimated])).toEqual([
			['a', 1, 20, true],
			['b', 2, 10, false],
			['c', 3, 5, true]
		]);
		expect(plan.items[2]!.expectedAt.toISOString()).toBe('2026-12-01T17:00:00.000Z');
		expect(plan).toMatchObject({ totalMinutes: 35, meetingMinutes: 90, overrunMinutes: 0 });
	});

	it('reports the overrun beyond the meeting length', () => {
		const items = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, minutes: 10 }));
		expect(planAgenda(items, 10, start, end).overrunMinutes).toBe(30);
	});

	it('moves one step and refuses to move past either end', () => {
		expect(moveInOrder(['a', 'b', 'c'], 'c', 'up')).toEqual(['a', 'c', 'b']);
		expect(moveInOrder(['a', 'b', 'c'], 'a', 'down')).toEqual(['b', 'a', 'c']);
		expect(moveInOrder(['a', 'b', 'c'], 'a', 'up')).toBeNull();
		expect(moveInOrder(['a', 'b', 'c'], 'c', 'down')).toBeNull();
		expect(moveInOrder(['a', 'b'], 'x', 'up')).toBeNull();
	});

	it('accepts a new order only if it names every case once', () => {
		expect(checkNewOrder(['a', 'b', 'c'], ['c', 'a', 'b'])).toBe(true);
		expect(checkNewOrder(['a', 'b', 'c'], ['c', 'a'])).toBe(false);
		expect(checkNewOrder(['a', 'b', 'c'], ['c', 'a', 'a'])).toBe(false);
		expect(checkNewOrder(['a', 'b', 'c'], ['c', 'a', 'd'])).toBe(false);
	});
});
