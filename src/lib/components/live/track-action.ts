import type { Track } from 'livekit-client';

/** Svelte action: shows a LiveKit video track in this <video> element, and lets it go after. */
export function attachTrack(element: HTMLVideoElement, track: Track | null) {
	let current = track;
	current?.attach(element);
	return {
		update(next: Track | null) {
			if (next === current) return;
			current?.detach(element);
			current = next;
			current?.attach(element);
		},
		destroy() {
			current?.detach(element);
		}
	};
}
