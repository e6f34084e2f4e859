import pg from 'pg';
import { deliverRemoteEvent, setMeetingEventRelay, type MeetingEvent } from './bus';

const CHANNEL = 'pluri_meeting';
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7_900;
const RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000];

interface Envelope {
	origin: string;
	meetingId: string;
	event: MeetingEvent;
}

export interface PgMeetingBus {
	/** Resolves once LISTEN is in place (events published from then on are received). */
	ready: Promise<void>;
	stop(): Promise<void>;
}

/**
 * Meeting events across instances through PostgreSQL LISTEN/NOTIFY: one listening connection
 * per process, kept open and reconnected after a loss; NOTIFY goes out on a pooled
 * connection. Each process skips its own notifications (its subscribers were called at once).
 * After a reconnection, clients get the state they missed through their next event: the bus
 * tells them nothing happened in between, so an `attendance` event is delivered locally to
 * make every stream re-read the current state.
 */
export function startPgMeetingBus(url: string): PgMeetingBus {
	const origin = crypto.randomUUID();
	const sender = new pg.Pool({ connectionString: url, max: 2 });
	sender.on('error', (e) => console.error('[bus] PostgreSQL :', e.message));
	let listener: pg.Client | null = null;
	let stopped = false;
	let attempt = 0;
	let firstReady: () => void = () => {};
	const ready = new Promise<void>((resolve) => (firstReady = resolve));
	const known = new Set<string>();

	const connect = async (): Promise<void> => {
		const client = new pg.Client({ connectionString: url });
		client.on('notification', (message) => {
			if (message.channel !== CHANNEL || !message.payload) return;
			try {
				const envelope = JSON.parse(message.payload) as Envelope;
				if (envelope.origin === origin) return;
				known.add(envelope.meetingId);
				deliverRemoteEvent(envelope.meetingId, envelope.event);
			} catch (e) {
				console.error('[bus] unreadable notification', e);
			}
		});
		client.on('error', (e) => {
			console.error('[bus] listening connection lost :', e.message);
			void reconnect(client);
		});
		client.on('end', () => void reconnect(client));
		try {
			await client.connect();
			await client.query(`LISTEN ${CHANNEL}`);
		} catch (e) {
			client.removeAllListeners();
			client.end().catch(() => {});
			throw e;
		}
		listener = client;
		attempt = 0;
		firstReady();
		// Whatever was published while we were away: every stream re-reads the state.
		for (const meetingId of known) deliverRemoteEvent(meetingId, { type: 'attendance' });
	};

	const keepConnecting = async (): Promise<void> => {
		while (!stopped && !listener) {
			try {
				await connect();
			} catch (e) {
				console.error('[bus] connecting :', e instanceof Error ? e.message : e);
				await new Promise((r) => setTimeout(r, RECONNECT_MS[Math.min(attempt++, 4)]));
			}
		}
	};

	const reconnect = async (lost: pg.Client): Promise<void> => {
		if (stopped || listener !== lost) return;
		listener = null;
		lost.removeAllListeners();
		lost.end().catch(() => {});
		await keepConnecting();
	};

	setMeetingEventRelay({
		isConnected: () => listener !== null,
		send(meetingId, event) {
			known.add(meetingId);
			let payload = JSON.stringify({ origin, meetingId, event } satisfies Envelope);
			// An oversized event travels as its type only: receivers re-read the state anyway.
			if (payload.length > MAX_PAYLOAD)
				payload = JSON.stringify({ origin, meetingId, event: { type: event.type } });
			sender
				.query('SELECT pg_notify($1, $2)', [CHANNEL, payload])
				.catch((e: unknown) =>
					console.error('[bus] NOTIFY failed :', e instanceof Error ? e.message : e)
				);
		}
	});

	void keepConnecting();

	return {
		ready,
		async stop(): Promise<void> {
			stopped = true;
			setMeetingEventRelay(null);
			const client = listener;
			listener = null;
			client?.removeAllListeners();
			await client?.end().catch(() => {});
			await sender.end().catch(() => {});
		}
	};
}
