// A FHIR R4 contract fake on 127.0.0.1 for the patient record: DocumentReference create with
// conditional create exactly as the specification says (If-None-Exist: no match → 201 and a
// Location, one match → 200 and nothing created, several → 412); a `transaction` Bundle posted
// to the base (all or nothing: conditional updates PUT Type?identifier=… — none → created, one →
// updated, several → 412 for the whole —, conditional FHIRPath Patch `replace`, urn:uuid
// references rewritten to the ids given); search by identifier and read by id for every type;
// and the failures a healthy server will not produce on demand (500, 412, a slow answer, a
// connection reset before or after the write). Plain JavaScript: the e2e server loads it too.
import { createServer } from 'node:http';

/**
 * @typedef {{ status: number } | 'timeout' | 'reset' | 'reset-after-create'} Fault
 * @typedef {{ system?: string, value?: string }} StoredIdentifier
 * @typedef {{ resourceType: string, id?: string, identifier?: StoredIdentifier[] | StoredIdentifier, meta?: object, [key: string]: unknown }} StoredResource
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
	// Most resources hold a list of identifiers; a few (Composition, Bundle) hold one.
	const ids = resource.identifier;
	return (Array.isArray(ids) ? ids : ids ? [ids] : []).some(
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
	/** @type {Map<string, StoredResource>} every resource, keyed `Type/id` */
	const store = new Map();
	/** @param {string} type */
	const ofType = (type) => [...store.values()].filter((r) => r.resourceType === type);
	/** @type {Fault[]} */
	const faults = [];
	/** @type {LoggedRequest[]} */
	const requests = [];
	let nextId = 1;
	let timeoutHoldMs = 30_000;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	/**
	 * A transaction (FHIR R4 §3.1.0.11.2): every entry is resolved first; any failure answers
	 * for the whole bundle and nothing is written.
	 * @param {string} body
	 * @returns {{ status: number, body: unknown }}
	 */
	function runTransaction(body) {
		/** @type {any} */
		let bundle;
		try {
			bundle = JSON.parse(body);
		} catch {
			return { status: 400, body: outcome('Corps JSON invalide.', 'invalid') };
		}
		if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') {
			return { status: 400, body: outcome('Bundle de type transaction attendu.', 'invalid') };
		}
		/** @type {{ key: string, type: string, id: string, created: boolean, entry: any }[]} */
		const plan = [];
		/** @type {Map<string, string>} */
		const assigned = new Map();
		for (const entry of bundle.entry ?? []) {
			const method = entry?.request?.method;
			const target = /^([A-Z][A-Za-z]+)(?:\/([^/?]+))?(?:\?(.*))?$/.exec(entry?.request?.url ?? '');
			if (!target || !['PUT', 'POST', 'PATCH'].includes(method)) {
				return {
					status: 400,
					body: outcome('Entrée de transaction non prise en charge.', 'not-supported')
				};
			}
			const type = /** @type {string} */ (target[1]);
			const idInUrl = target[2];
			const query = target[3];
			const resource = entry.resource;
			if (method !== 'PATCH' && resource?.resourceType !== type) {
				return { status: 400, body: outcome(`resourceType attendu : ${type}.`, 'invalid') };
			}
			const cond = method === 'POST' ? (entry.request.ifNoneExist ?? '') : (query ?? '');
			const tokens = new URLSearchParams(cond).getAll('identifier');
			const matches = idInUrl
				? [store.get(`${type}/${idInUrl}`)].filter(Boolean)
				: tokens.length
					? ofType(type).filter((r) => tokens.every((t) => matchesIdentifier(r, t)))
					: [];
			if (matches.length > 1) {
				return {
					status: 412,
					body: outcome(
						`${matches.length} ressources correspondent à ${type}?${cond}.`,
						'duplicate'
					)
				};
			}
			const found = /** @type {StoredResource | undefined} */ (matches[0]);
			if (method === 'PATCH' && !found) {
				return {
					status: 404,
					body: outcome(`Aucune ressource ${type}?${cond} à modifier.`, 'not-found')
				};
			}
			const id = found?.id ?? idInUrl ?? String(nextId++);
			if (entry.fullUrl) assigned.set(entry.fullUrl, `${type}/${id}`);
			plan.push({ key: `${type}/${id}`, type, id, created: !found, entry });
		}
		/** @type {(node: any) => any} */
		const rewrite = (node) => {
			if (Array.isArray(node)) return node.map(rewrite);
			if (!node || typeof node !== 'object') return node;
			/** @type {Record<string, unknown>} */
			const out = {};
			for (const [k, v] of Object.entries(node)) {
				out[k] =
					k === 'reference' && typeof v === 'string' && assigned.has(v)
						? assigned.get(v)
						: rewrite(v);
			}
			return out;
		};
		/** @type {Map<string, StoredResource>} */
		const writes = new Map();
		for (const step of plan) {
			const { entry } = step;
			const previous = store.get(step.key);
			let next;
			if (entry.request.method === 'PATCH') {
				next = { ...previous };
				for (const op of entry.resource?.parameter ?? []) {
					const part = Object.fromEntries(
						(op.part ?? []).map((/** @type {any} */ p) => [p.name, p])
					);
					const path = /^([A-Z][A-Za-z]+)\.([a-z][A-Za-z]*)$/.exec(part.path?.valueString ?? '');
					if (
						op.name !== 'operation' ||
						part.type?.valueCode !== 'replace' ||
						!path ||
						path[1] !== step.type
					) {
						return {
							status: 400,
							body: outcome(
								'Seul le patch FHIRPath « replace » d’un élément de premier niveau est pris en charge.',
								'not-supported'
							)
						};
					}
					const value = Object.entries(part.value ?? {}).find(([k]) => k.startsWith('value'))?.[1];
					next[/** @type {string} */ (path[2])] = value;
				}
			} else if (entry.request.method === 'POST' && !step.created) {
				continue;
			} else {
				next = rewrite(entry.resource);
			}
			const version = Number(previous?.meta && /** @type {any} */ (previous.meta).versionId) || 0;
			writes.set(step.key, {
				...next,
				id: step.id,
				meta: {
					...(next.meta ?? {}),
					versionId: String(version + 1),
					lastUpdated: new Date().toISOString()
				}
			});
		}
		for (const [key, r] of writes) store.set(key, r);
		return {
			status: 200,
			body: {
				resourceType: 'Bundle',
				type: 'transaction-response',
				entry: plan.map((step) => ({
					response: {
						status: step.created ? '201 Created' : '200 OK',
						location: `${step.key}/_history/${/** @type {any} */ (store.get(step.key))?.meta?.versionId ?? '1'}`
					}
				}))
			}
		};
	}

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
						interaction: [{ code: 'transaction' }],
						resource: [
							'DocumentReference',
							'Patient',
							'Practitioner',
							'Organization',
							'Encounter',
							'CarePlan',
							'Composition'
						].map((type) => ({
							type,
							conditionalCreate: true,
							conditionalUpdate: true,
							conditionalPatch: type === 'DocumentReference',
							searchParam: [{ name: 'identifier', type: 'token' }]
						}))
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
				const matches = ofType('DocumentReference').filter((r) =>
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
			store.set(`DocumentReference/${id}`, stored);
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
		if (req.method === 'POST' && url.pathname === '/') {
			/** @type {{ status: number, body: unknown }} */
			let answer;
			try {
				answer = runTransaction(body);
			} catch (e) {
				answer = { status: 500, body: outcome(`Erreur du serveur : ${String(e)}`, 'exception') };
			}
			log.status = answer.status;
			return send(res, answer.status, answer.body);
		}
		const search = /^\/([A-Z][A-Za-z]+)$/.exec(url.pathname);
		if (req.method === 'GET' && search) {
			const type = /** @type {string} */ (search[1]);
			const token = url.searchParams.get('identifier');
			const list = ofType(type).filter((r) => !token || matchesIdentifier(r, token));
			log.status = 200;
			return send(res, 200, {
				resourceType: 'Bundle',
				type: 'searchset',
				total: list.length,
				entry: list.map((r) => ({
					fullUrl: `http://127.0.0.1:${port}/${type}/${r.id}`,
					resource: r,
					search: { mode: 'match' }
				}))
			});
		}
		const read = /^\/([A-Z][A-Za-z]+)\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'GET' && read) {
			const found = store.get(`${read[1]}/${read[2]}`);
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
		documents: () => ofType('DocumentReference'),
		/** The DocumentReferences carrying this identifier (`system|value`). */
		findByIdentifier: (/** @type {string} */ token) =>
			ofType('DocumentReference').filter((r) => matchesIdentifier(r, token)),
		/** The resources of a type, those carrying the identifier when one is given. */
		findResources: (/** @type {string} */ type, /** @type {string | undefined} */ token) =>
			ofType(type).filter((r) => !token || matchesIdentifier(r, token)),
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
			store.set(`${resource.resourceType}/${id}`, { ...resource, id });
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
