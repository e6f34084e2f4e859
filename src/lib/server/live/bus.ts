/**
 * Publish/subscribe of meeting events (current case changed, quorum changed, decision being
 * typed…). The SSE endpoint subscribes per meeting; writers publish after their transaction
 * commits. Subscribers of this process are called at once; with a relay connected (PostgreSQL
 * LISTEN/NOTIFY, pg-bus.ts) the event also reaches every other instance's subscribers, and
 * events relayed from elsewhere come in through deliverRemoteEvent.
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

/** Carries events to the other instances; set once at start-up when the engine has one. */
export interface MeetingEventRelay {
	send(meetingId: string, event: MeetingEvent): void;
	isConnected(): boolean;
}

let relay: MeetingEventRelay | null = null;

export function setMeetingEventRelay(next: MeetingEventRelay | null): void {
	relay = next;
}

/** `shared`: events reach other instances; `connected`: the relay is listening right now. */
export function getMeetingBusStatus(): { shared: boolean; connected: boolean } {
	return { shared: relay !== null, connected: relay?.isConnected() ?? true };
}

export function publishMeetingEvent(meetingId: string, event: MeetingEvent): void {
	deliverLocally(meetingId, event);
	relay?.send(meetingId, event);
}

/** An event published by another instance, for this process's subscribers only. */
export function deliverRemoteEvent(meetingId: string, event: MeetingEvent): void {
	deliverLocally(meetingId, event);
}

function deliverLocally(meetingId: string, event: MeetingEvent): void {
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
