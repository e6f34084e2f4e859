/**
 * In-process publish/subscribe of meeting events (current case changed, quorum changed,
 * decision being typed…). The SSE endpoint subscribes per meeting; writers publish after
 * their transaction commits. One process holds every subscriber; several nodes would put a
 * broker (e.g. Redis pub/sub) behind the same two functions.
 */
export interface MeetingEvent {
	type: string;
	[key: string]: unknown;
}

type Listener = (event: MeetingEvent) => void;

const listeners = new Map<string, Set<Listener>>();

export function subscribeMeeting(meetingId: string, listener: Listener): () => void {
	let set = listeners.get(meetingId);
	if (!set) listeners.set(meetingId, (set = new Set()));
	set.add(listener);
	return () => {
		set.delete(listener);
		if (set.size === 0) listeners.delete(meetingId);
	};
}

export function publishMeetingEvent(meetingId: string, event: MeetingEvent): void {
	for (const listener of listeners.get(meetingId) ?? []) {
		try {
			listener(event);
		} catch (e) {
			console.error('meeting event listener failed', e);
		}
	}
}

export function countMeetingSubscribers(meetingId: string): number {
	return listeners.get(meetingId)?.size ?? 0;
}
