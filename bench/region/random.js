// A seeded generator (mulberry32): the same seed gives the same region, row for row.

/** @param {number} seed */
export function createRandom(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const hex = (n) => {
		let s = '';
		while (s.length < n)
			s += Math.floor(next() * 0x100000000)
				.toString(16)
				.padStart(8, '0');
		return s.slice(0, n);
	};
	return {
		next,
		/** An integer in [min, max]. */
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		/** @template T @param {readonly T[]} list @returns {T} */
		pick: (list) => list[Math.floor(next() * list.length)],
		/** true with probability p. */
		chance: (p) => next() < p,
		/** An index drawn with the given weights. */
		weighted(weights) {
			const total = weights.reduce((a, b) => a + b, 0);
			let r = next() * total;
			for (let i = 0; i < weights.length; i++) {
				r -= weights[i];
				if (r < 0) return i;
			}
			return weights.length - 1;
		},
		/** A version-4-shaped UUID from the seeded stream (ids stay unguessable in shape only). */
		uuid() {
			const h = hex(32);
			return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
		},
		hex
	};
}
