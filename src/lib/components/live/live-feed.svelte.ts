import type { LiveView } from '$lib/server/live/state';

export type FeedState = 'connecting' | 'open' | 'lost' | 'ended';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * The live meeting state pushed by the server (Server-Sent Events). EventSource reconnects
 * by itself; the server sends the whole state again on each connection, so nothing is missed.
 */
export class LiveFeed {
	view: LiveView = $state()!;
	state: FeedState = $state('connecting');
	/** Milliseconds to add to the browser's clock to get the server's (for the case timer). */
	clockOffset = $state(0);
	private source: EventSource | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retries = 0;
	private stopped = false;

	constructor(
		private url: string,
		initial: LiveView
	) {
		this.apply(initial);
	}

	/** A fresher state from elsewhere (a page reload after a form action). */
	apply(view: LiveView): void {
		this.view = view;
		this.clockOffset = Date.parse(view.serverNow) - Date.now();
	}

	start(): void {
		if (this.source || this.retryTimer) return;
		this.stopped = false;
		this.connect();
	}

	private connect(): void {
		const source = new EventSource(this.url);
		this.source = source;
		source.addEventListener('open', () => {
			this.state = 'open';
			this.retries = 0;
		});
		source.addEventListener('error', () => {
			if (this.state === 'ended') return;
			this.state = 'lost';
			// EventSource retries by itself after a network error but gives up for good on an HTTP
			// error (a proxy's 502 while the server restarts): then it is up to us, less and less often.
			if (source.readyState === EventSource.CLOSED) this.retryLater();
		});
		source.addEventListener('state', (e) => {
			this.state = 'open';
			this.retries = 0;
			this.apply(JSON.parse((e as MessageEvent<string>).data) as LiveView);
		});
		source.addEventListener('end', () => {
			this.state = 'ended';
			this.stop();
		});
	}

	private retryLater(): void {
		this.source?.close();
		this.source = null;
		if (this.stopped || this.retryTimer) return;
		const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.retries++);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			if (!this.stopped) this.connect();
		}, delay);
	}

	stop(): void {
		this.stopped = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.source?.close();
		this.source = null;
	}
}
