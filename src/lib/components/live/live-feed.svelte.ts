import type { LiveView } from '$lib/server/live/state';

export type FeedState = 'connecting' | 'open' | 'lost' | 'ended';

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
		if (this.source) return;
		const source = new EventSource(this.url);
		this.source = source;
		source.addEventListener('open', () => (this.state = 'open'));
		source.addEventListener('error', () => {
			if (this.state !== 'ended') this.state = 'lost';
		});
		source.addEventListener('state', (e) => {
			this.state = 'open';
			this.apply(JSON.parse((e as MessageEvent<string>).data) as LiveView);
		});
		source.addEventListener('end', () => {
			this.state = 'ended';
			this.stop();
		});
	}

	stop(): void {
		this.source?.close();
		this.source = null;
	}
}
