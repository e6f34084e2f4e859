import type {
	Bundle,
	BundleEntry,
	DocumentReference,
	Identifier,
	Parameters,
	Resource
} from '@medplum/fhirtypes';
import {
	DECISION_IDENTIFIER_SYSTEM,
	decisionVersionIdentifier,
	type SendResult
} from '$lib/domain/decision';
import type { DecisionDocumentData } from './document-data';
import { FHIR_TIMEOUT_MS, type FhirTarget } from './fhir';

/**
 * The resources of the decision's FHIR document, also posted one by one so the record can be
 * searched (Patient, Practitioner, Organization, Encounter, CarePlan, Composition): one
 * `transaction` of conditional updates keyed on their identifiers, so a resend changes nothing
 * new. It also replaces the DocumentReference when it was already there (a resend after the
 * coordinator fixed what held the CDA back) and, on an amendment, marks the document of the
 * amended version `superseded` (FHIRPath Patch) — the new one `relatesTo` replaces it.
 */

const URI = DECISION_IDENTIFIER_SYSTEM;

function token(i: Identifier): string {
	return `${i.system ?? ''}|${i.value ?? ''}`;
}

/** The identifier a resource of the document is matched on (the first one, or the CarePlan's). */
function matchIdentifier(r: Resource): Identifier | undefined {
	const ids = (r as { identifier?: Identifier | Identifier[] }).identifier;
	const list = Array.isArray(ids) ? ids : ids ? [ids] : [];
	// The Encounter's first identifier is the meeting's, shared by every case: match its own.
	if (r.resourceType === 'Encounter') return list.find((i) => i.use === 'secondary');
	return list[0];
}

function conditionalUrl(resourceType: string, i: Identifier): string {
	return `${resourceType}?identifier=${encodeURIComponent(token(i))}`;
}

export function buildRecordTransaction(
	data: DecisionDocumentData,
	document: Bundle,
	docRef: DocumentReference,
	replaceDocumentReference: boolean
): Bundle {
	const entries: BundleEntry[] = [];
	for (const e of document.entry ?? []) {
		const r = e.resource;
		const id = r && matchIdentifier(r);
		if (!r || !id) continue;
		entries.push({
			fullUrl: e.fullUrl,
			resource: r,
			request: { method: 'PUT', url: conditionalUrl(r.resourceType, id) }
		});
	}
	const own = { system: URI, value: decisionVersionIdentifier(data.decision.id) };
	if (replaceDocumentReference) {
		entries.push({
			resource: docRef,
			request: { method: 'PUT', url: conditionalUrl('DocumentReference', own) }
		});
	}
	if (data.decision.amendsId) {
		const patch: Parameters = {
			resourceType: 'Parameters',
			parameter: [
				{
					name: 'operation',
					part: [
						{ name: 'type', valueCode: 'replace' },
						{ name: 'path', valueString: 'DocumentReference.status' },
						{ name: 'value', valueCode: 'superseded' }
					]
				}
			]
		};
		const old = { system: URI, value: decisionVersionIdentifier(data.decision.amendsId) };
		entries.push({
			resource: patch,
			request: { method: 'PATCH', url: conditionalUrl('DocumentReference', old) }
		});
	}
	return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

/** Posts the transaction: all or nothing on the server's side, so it is simply retried. */
export async function postRecordTransaction(
	target: FhirTarget,
	transaction: Bundle,
	timeoutMs: number = FHIR_TIMEOUT_MS
): Promise<SendResult> {
	const headers: Record<string, string> = {
		'content-type': 'application/fhir+json',
		accept: 'application/fhir+json'
	};
	if (target.token) headers.authorization = `Bearer ${target.token}`;
	let status: number;
	let body = '';
	try {
		const res = await fetch(`${target.baseUrl}/`, {
			method: 'POST',
			headers,
			body: JSON.stringify(transaction),
			signal: AbortSignal.timeout(timeoutMs)
		});
		status = res.status;
		body = await res.text();
	} catch (e) {
		const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
		return {
			kind: 'retry',
			error: timedOut
				? `Le dossier patient n’a pas répondu dans le délai (${Math.round(timeoutMs / 1000)} s) à l’indexation de la fiche.`
				: 'Connexion au serveur du dossier patient impossible pendant l’indexation de la fiche.'
		};
	}
	if (status === 200) return { kind: 'delivered', remoteId: null };
	const detail = readDiagnostics(body);
	if (status === 400 || status === 412 || status === 422) {
		return {
			kind: 'failed',
			error: `Le dossier patient a refusé l’indexation de la fiche (${status})${detail}.`
		};
	}
	return {
		kind: 'retry',
		error: `Le dossier patient a répondu ${status} à l’indexation de la fiche${detail}.`
	};
}

function readDiagnostics(body: string): string {
	try {
		const o = JSON.parse(body) as { issue?: { diagnostics?: string }[] };
		const text = o.issue
			?.map((i) => i.diagnostics)
			.filter(Boolean)
			.join(' ; ');
		return text ? ` : ${text.slice(0, 300).replace(/[\s.]+$/, '')}` : '';
	} catch {
		return '';
	}
}
