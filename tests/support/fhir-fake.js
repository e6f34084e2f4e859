// A FHIR R4 contract fake on 127.0.0.1 for the patient record: DocumentReference create with
// conditional create exactly as the specification says (If-None-Exist: no match → 201 and a
// Location, one match → 200 and nothing created, several → 412), search by identifier, read by
// id; and the failures a healthy server will not produce on demand (500, 412, a slow answer, a
// connection reset before or after the write). Plain JavaScript: the e2e server loads it too.
import { createServer } from 'node:http';

/**
 * @typedef {{ status: number } | 'timeout' | 'reset' | 'reset-after-create'} Fault
 * @typedef {{ resourceType: string, id?: string, identifier?: { system?: string, value?: string }[], meta?: object, [key: string]: unknown }} StoredResource
 * @typedef {{ method: string, url: string, ifNoneExist: string | null, status: number | 'reset' | 'timeout' }} LoggedRequest
 */

/**
 * @param {StoredResource} resource
 * @param {string} token `system|value`, `|value` or `value`
 */
function matchesIdentifier(resource, token) {
	const bar = token.indexOf('|');
	const system = bar === -1 ? null : token.slice(0, bar);
	const value = bar === -1 ? token : token.slice(bar + 1);
	return (resource.identifier ?? []).some(
		(i) => i.value === value && (system === null || system === '' ? true : i.system === system)
	);
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 */
function send(res, status, body, headers = {}) {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		...(text ? { 'content-type': 'application/fhir+json; charset=utf-8' } : {}),
		...headers
	});
	res.end(text);
}

/** @param {string} text */
function outcome(text, code = 'processing') {
	return {
		resourceType: 'OperationOutcome',
		issue: [{ severity: 'error', code, diagnostics: text }]
	};
}

/**
 * @param {{ port?: number, token?: string | null, delayMs?: number }} [options]
 */
export async function startFhirFake(options = {}) {
	/** @type {Map<string, StoredResource>} */
	const store = new Map();
	/** @type {Fault[]} */
	const faults = [];
	/** @type {LoggedRequest[]} */
	const requests = [];
	let nextId = 1;
	let timeoutHoldMs = 30_000;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	const server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const ifNoneExist = /** @type {string | undefined} */ (req.headers['if-none-exist']) ?? null;
		/** @type {LoggedRequest} */
		const log = {
			method: req.method ?? 'GET',
			url: url.pathname + url.search,
			ifNoneExist,
			status: 0
		};
		requests.push(log);
		const body = await readBody(req);
		if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
			log.status = 401;
			return send(res, 401, outcome('Jeton manquant ou invalide.', 'login'));
		}
		const isCreate = req.method === 'POST' && url.pathname === '/DocumentReference';
		const fault = isCreate ? faults.shift() : undefined;
		if (fault === 'reset') {
			log.status = 'reset';
			req.socket.destroy();
			return;
		}
		if (fault === 'timeout') {
			log.status = 'timeout';
			setTimeout(() => {
				if (!res.writableEnded && !req.socket.destroyed) send(res, 504, outcome('Trop tard.'));
			}, timeoutHoldMs);
			return;
		}
		if (fault && typeof fault === 'object') {
			log.status = fault.status;
			return send(res, fault.status, outcome(`Erreur injectée ${fault.status}.`));
		}
		if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));

		if (req.method === 'GET' && url.pathname === '/metadata') {
			log.status = 200;
			return send(res, 200, {
				resourceType: 'CapabilityStatement',
				status: 'active',
				kind: 'instance',
				fhirVersion: '4.0.1',
				format: ['json'],
				rest: [
					{
						mode: 'server',
						resource: [
							{
								type: 'DocumentReference',
								conditionalCreate: true,
								searchParam: [{ name: 'identifier', type: 'token' }]
							}
						]
					}
				]
			});
		}
		if (isCreate) {
			/** @type {StoredResource} */
			let resource;
			try {
				resource = JSON.parse(body);
			} catch {
				log.status = 400;
				return send(res, 400, outcome('Corps JSON invalide.', 'invalid'));
			}
			if (resource?.resourceType !== 'DocumentReference') {
				log.status = 400;
				return send(res, 400, outcome('resourceType attendu : DocumentReference.', 'invalid'));
			}
			if (ifNoneExist) {
				const params = new URLSearchParams(ifNoneExist);
				const tokens = params.getAll('identifier');
				if (!tokens.length || [...params.keys()].some((k) => k !== 'identifier')) {
					log.status = 400;
					return send(res, 400, outcome('If-None-Exist non pris en charge.', 'not-supported'));
				}
				const matches = [...store.values()].filter((r) =>
					tokens.every((t) => matchesIdentifier(r, t))
				);
				if (matches.length === 1) {
					const found = /** @type {StoredResource} */ (matches[0]);
					log.status = 200;
					return send(res, 200, req.headers.prefer === 'return=minimal' ? undefined : found, {
						location: `http://127.0.0.1:${port}/DocumentReference/${found.id}/_history/1`
					});
				}
				if (matches.length > 1) {
					log.status = 412;
					return send(
						res,
						412,
						outcome(`${matches.length} ressources correspondent à ${ifNoneExist}.`, 'duplicate')
					);
				}
			}
			const id = String(nextId++);
			const stored = {
				...resource,
				id,
				meta: { versionId: '1', lastUpdated: new Date().toISOString() }
			};
			store.set(id, stored);
			if (fault === 'reset-after-create') {
				log.status = 'reset';
				req.socket.destroy();
				return;
			}
			log.status = 201;
			return send(res, 201, req.headers.prefer === 'return=minimal' ? undefined : stored, {
				location: `http://127.0.0.1:${port}/DocumentReference/${id}/_history/1`
			});
		}
		if (req.method === 'GET' && url.pathname === '/DocumentReference') {
			const token = url.searchParams.get('identifier');
			const list = [...store.values()].filter((r) => !token || matchesIdentifier(r, token));
			log.status = 200;
			return send(res, 200, {
				resourceType: 'Bundle',
				type: 'searchset',
				total: list.length,
				entry: list.map((r) => ({
					fullUrl: `http://127.0.0.1:${port}/DocumentReference/${r.id}`,
					resource: r,
					search: { mode: 'match' }
				}))
			});
		}
		const read = /^\/DocumentReference\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'GET' && read) {
			const found = store.get(/** @type {string} */ (read[1]));
			log.status = found ? 200 : 404;
			return found
				? send(res, 200, found)
				: send(res, 404, outcome('Ressource inconnue.', 'not-found'));
		}
		log.status = 404;
		send(res, 404, outcome(`Pas de route pour ${req.method} ${url.pathname}.`, 'not-supported'));
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) =>
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined))
	);
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		/** Every DocumentReference the fake holds. */
		documents: () => [...store.values()],
		/** The DocumentReferences carrying this identifier (`system|value`). */
		findByIdentifier: (/** @type {string} */ token) =>
			[...store.values()].filter((r) => matchesIdentifier(r, token)),
		/** The next creates fail this way, in order. */
		failNext: (/** @type {Fault[]} */ ...list) => {
			faults.push(...list);
		},
		/** How long a 'timeout' fault holds the request before answering (longer than the client waits). */
		setTimeoutHold: (/** @type {number} */ ms) => {
			timeoutHoldMs = ms;
		},
		/** Stores a resource as is (e.g. a duplicate made by another system, for a natural 412). */
		insert: (/** @type {StoredResource} */ resource) => {
			const id = String(nextId++);
			store.set(id, { ...resource, id });
			return id;
		},
		reset: () => {
			store.clear();
			faults.length = 0;
			requests.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve(undefined));
			})
	};
}

/** @typedef {Awaited<ReturnType<typeof startFhirFake>>} FhirFake */
