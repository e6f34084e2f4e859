import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveView } from '$lib/server/live/state';
import { LiveFeed } from './live-feed.svelte';

/** Just enough of EventSource: readyState, listeners, and the two ways a stream fails. */
class FakeEventSource {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSED = 2;
	static all: FakeEventSource[] = [];
	readyState = FakeEventSource.CONNECTING;
	private listeners = new Map<string, ((e: unknown) => void)[]>();
	constructor(readonly url: string) {
		FakeEventSource.all.push(this);
	}
	addEventListener(type: string, fn: (e: unknown) => void): void {
		this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
	}
	close(): void {
		this.readyState = FakeEventSource.CLOSED;
	}
	emit(type: string, data?: unknown): void {
		if (type === 'open') this.readyState = FakeEventSource.OPEN;
		for (const fn of this.listeners.get(type) ?? []) fn({ data: JSON.stringify(data) });
	}
	/** An HTTP error (502, 503…): the browser gives up on this stream for good. */
	refuse(): void {
		this.readyState = FakeEventSource.CLOSED;
		this.emit('error');
	}
	/** A dropped connection: the browser reconnects by itself. */
	drop(): void {
		this.readyState = FakeEventSource.CONNECTING;
		this.emit('error');
	}
}

const view = (position: number): LiveView =>
	({ currentPosition: position, serverNow: new Date().toISOString() }) as unknown as LiveView;

describe('the live feed keeps following the meeting', () => {
	beforeEach(() => {
		FakeEventSource.all = [];
		vi.stubGlobal('EventSource', FakeEventSource);
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('opens a new stream itself when the server refused one, and gets the state again', () => {
		const feed = new LiveFeed('/events', view(1));
		feed.start();
		FakeEventSource.all[0]!.refuse();
		expect(feed.state).toBe('lost');
		vi.advanceTimersByTime(1_000);
		expect(FakeEventSource.all).toHaveLength(2);
		FakeEventSource.all[1]!.refuse();
		vi.advanceTimersByTime(1_999);
		expect(FakeEventSource.all).toHaveLength(2); // less and less often
		vi.advanceTimersByTime(1);
		expect(FakeEventSource.all).toHaveLength(3);
		FakeEventSource.all[2]!.emit('state', view(3));
		expect(feed.state).toBe('open');
		expect(feed.view.currentPosition).toBe(3);
		feed.stop();
	});

	it('leaves a dropped stream to the browser, and stops for good when told', () => {
		const feed = new LiveFeed('/events', view(1));
		feed.start();
		FakeEventSource.all[0]!.drop();
		vi.advanceTimersByTime(60_000);
		expect(FakeEventSource.all).toHaveLength(1);
		FakeEventSource.all[0]!.refuse();
		feed.stop();
		vi.advanceTimersByTime(60_000);
		expect(FakeEventSource.all).toHaveLength(1);
	});

	it('does not come back after the server ended the stream', () => {
		const feed = new LiveFeed('/events', view(1));
		feed.start();
		FakeEventSource.all[0]!.emit('end');
		FakeEventSource.all[0]!.refuse();
		vi.advanceTimersByTime(60_000);
		expect(feed.state).toBe('ended');
		expect(FakeEventSource.all).toHaveLength(1);
	});
});
