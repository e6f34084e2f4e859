/**
 * A contract fake of LiveKit's RoomService (Twirp over HTTP+JSON), for what a healthy server
 * will not do on demand: errors, timeouts, refused grants. It checks what the real server
 * checks: `Authorization: Bearer <jwt>` verified with TokenVerifier, the grant each method needs
 * (DESIGN §6), and answers errors as Twirp does, `{code, msg}` with the matching HTTP status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier, type ClaimGrants } from 'livekit-server-sdk';

export interface FakeTrack {
	sid: string;
	type: 'AUDIO' | 'VIDEO';
	source: 'MICROPHONE' | 'CAMERA' | 'SCREEN_SHARE';
	muted: boolean;
}

export interface FakeParticipant {
	identity: string;
	name?: string;
	tracks: FakeTrack[];
}

export interface FakeRoom {
	sid: string;
	name: string;
	emptyTimeout: number;
	departureTimeout: number;
	maxParticipants: number;
	metadata: string;
	participants: Map<string, FakeParticipant>;
}

export interface TwirpFailure {
	status: number;
	code: string;
	msg: string;
}

export interface FakeCall {
	method: string;
	body: Record<string, unknown>;
	grant: ClaimGrants['video'];
}

type Grant = { kind: 'create' } | { kind: 'list' } | { kind: 'admin' };

/** The grant each RoomService method asks of its caller's token. */
const requiredGrants: Record<string, Grant> = {
	CreateRoom: { kind: 'create' },
	DeleteRoom: { kind: 'create' },
	ListRooms: { kind: 'list' },
	ListParticipants: { kind: 'admin' },
	GetParticipant: { kind: 'admin' },
	RemoveParticipant: { kind: 'admin' },
	MutePublishedTrack: { kind: 'admin' },
	UpdateParticipant: { kind: 'admin' },
	UpdateSubscriptions: { kind: 'admin' },
	SendData: { kind: 'admin' },
	UpdateRoomMetadata: { kind: 'admin' }
};

export const twirpErrors = {
	unauthenticated: (msg = 'invalid token'): TwirpFailure => ({
		status: 401,
		code: 'unauthenticated',
		msg
	}),
	permissionDenied: (msg = 'permissions denied'): TwirpFailure => ({
		status: 403,
		code: 'permission_denied',
		msg
	}),
	notFound: (msg = 'not found'): TwirpFailure => ({ status: 404, code: 'not_found', msg }),
	invalid: (msg = 'invalid argument'): TwirpFailure => ({
		status: 400,
		code: 'invalid_argument',
		msg
	}),
	internal: (msg = 'internal error'): TwirpFailure => ({ status: 500, code: 'internal', msg }),
	unavailable: (msg = 'service unavailable'): TwirpFailure => ({
		status: 503,
		code: 'unavailable',
		msg
	})
};

export class LivekitFake {
	readonly rooms = new Map<string, FakeRoom>();
	readonly calls: FakeCall[] = [];
	private failures = new Map<string, TwirpFailure[]>();
	private delays = new Map<string, number>();
	private verifier: TokenVerifier;
	private server: Server;
	url = '';

	private constructor(apiKey: string, apiSecret: string) {
		this.verifier = new TokenVerifier(apiKey, apiSecret);
		this.server = createServer((req, res) => void this.handle(req, res));
	}

	static async start(
		apiKey = 'fake-key',
		apiSecret = 'fake-secret-0123456789-abcdefghij'
	): Promise<LivekitFake> {
		const fake = new LivekitFake(apiKey, apiSecret);
		await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
		fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
		return fake;
	}

	/** The next call to `method` fails with this Twirp error (queued: several calls, several failures). */
	failNext(method: string, failure: TwirpFailure): void {
		this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
	}

	/** Every call to `method` answers after `ms` milliseconds (0 removes the delay). */
	delay(method: string, ms: number): void {
		this.delays.set(method, ms);
	}

	addParticipant(room: string, participant: FakeParticipant): void {
		const r = this.rooms.get(room);
		if (!r) throw new Error(`no room ${room}`);
		r.participants.set(participant.identity, participant);
	}

	callsTo(method: string): FakeCall[] {
		return this.calls.filter((c) => c.method === method);
	}

	reset(): void {
		this.rooms.clear();
		this.calls.length = 0;
		this.failures.clear();
		this.delays.clear();
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}

	private send(res: ServerResponse, status: number, body: unknown): void {
		if (res.destroyed) return;
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	}

	private fail(res: ServerResponse, f: TwirpFailure): void {
		this.send(res, f.status, { code: f.code, msg: f.msg });
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const match = /^\/twirp\/livekit\.RoomService\/([A-Za-z]+)$/.exec(req.url ?? '');
		if (req.method !== 'POST' || !match) {
			return this.fail(res, {
				status: 404,
				code: 'bad_route',
				msg: `no handler for ${req.method} ${req.url}`
			});
		}
		const method = match[1]!;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const delay = this.delays.get(method);
		if (delay) await new Promise((r) => setTimeout(r, delay));

		if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
			return this.fail(res, { status: 415, code: 'malformed', msg: 'unexpected content type' });
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
		} catch {
			return this.fail(res, twirpErrors.invalid('bad json'));
		}
		const auth = req.headers.authorization ?? '';
		if (!auth.startsWith('Bearer '))
			return this.fail(res, twirpErrors.unauthenticated('missing token'));
		let claims: ClaimGrants;
		try {
			claims = await this.verifier.verify(auth.slice('Bearer '.length));
		} catch {
			return this.fail(res, twirpErrors.unauthenticated());
		}
		const grant = claims.video ?? {};
		this.calls.push({ method, body, grant });
		const needed = requiredGrants[method];
		if (!needed)
			return this.fail(res, { status: 404, code: 'bad_route', msg: `unknown method ${method}` });
		const allowed =
			needed.kind === 'create'
				? grant.roomCreate === true
				: needed.kind === 'list'
					? grant.roomList === true
					: grant.roomAdmin === true && grant.room === body.room;
		if (!allowed) return this.fail(res, twirpErrors.permissionDenied());

		const queued = this.failures.get(method);
		if (queued?.length) return this.fail(res, queued.shift()!);
		this.answer(method, body, res);
	}

	private answer(method: string, body: Record<string, unknown>, res: ServerResponse): void {
		const roomName = String(body.room ?? body.name ?? '');
		const room = this.rooms.get(roomName);
		const participant = room?.participants.get(String(body.identity ?? ''));
		switch (method) {
			case 'CreateRoom': {
				if (!roomName) return this.fail(res, twirpErrors.invalid('room name is required'));
				const existing = this.rooms.get(roomName);
				const created: FakeRoom = existing ?? {
					sid: `RM_${crypto.randomUUID().slice(0, 12)}`,
					name: roomName,
					emptyTimeout: Number(body.emptyTimeout ?? 300),
					departureTimeout: Number(body.departureTimeout ?? 20),
					maxParticipants: Number(body.maxParticipants ?? 0),
					metadata: String(body.metadata ?? ''),
					participants: new Map()
				};
				this.rooms.set(roomName, created);
				return this.send(res, 200, this.roomJson(created));
			}
			case 'DeleteRoom':
				if (!room) return this.fail(res, twirpErrors.notFound('requested room does not exist'));
				this.rooms.delete(roomName);
				return this.send(res, 200, {});
			case 'ListRooms':
				return this.send(res, 200, {
					rooms: [...this.rooms.values()].map((r) => this.roomJson(r))
				});
			case 'ListParticipants':
				if (!room) return this.fail(res, twirpErrors.notFound('requested room does not exist'));
				return this.send(res, 200, {
					participants: [...room.participants.values()].map((p) => this.participantJson(p))
				});
			case 'GetParticipant':
				if (!participant) return this.fail(res, twirpErrors.notFound('participant not found'));
				return this.send(res, 200, this.participantJson(participant));
			case 'RemoveParticipant':
				if (!participant) return this.fail(res, twirpErrors.notFound('participant not found'));
				room!.participants.delete(participant.identity);
				return this.send(res, 200, {});
			case 'MutePublishedTrack': {
				const track = participant?.tracks.find((t) => t.sid === body.trackSid);
				if (!track) return this.fail(res, twirpErrors.notFound('track not found'));
				track.muted = Boolean(body.muted);
				return this.send(res, 200, { track: { ...track } });
			}
			default:
				return this.send(res, 200, {});
		}
	}

	private roomJson(r: FakeRoom): Record<string, unknown> {
		return {
			sid: r.sid,
			name: r.name,
			emptyTimeout: r.emptyTimeout,
			departureTimeout: r.departureTimeout,
			maxParticipants: r.maxParticipants,
			metadata: r.metadata,
			numParticipants: r.participants.size,
			creationTime: String(Math.floor(Date.now() / 1000))
		};
	}

	private participantJson(p: FakeParticipant): Record<string, unknown> {
		return {
			sid: `PA_${p.identity}`,
			identity: p.identity,
			name: p.name ?? p.identity,
			state: 'ACTIVE',
			tracks: p.tracks.map((t) => ({ ...t }))
		};
	}
}
