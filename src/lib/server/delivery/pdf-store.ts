import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataDir } from '../config';
import { loadDecisionDocumentData, type DecisionDocumentData } from './document-data';
import { renderDecisionPdf } from './report-pdf';

/**
 * The fiche RCP of a decision version is rendered once and kept: the record, the mails and the
 * readers get the same bytes, and a backlog of deliveries does not render it again. A version
 * no longer changes once validated (or recorded as provisional); a draft is never stored.
 */
const inflight = new Map<string, Promise<Buffer>>();

function pdfPath(decisionId: string): string {
	return join(getDataDir(), 'fiches', `${decisionId}.pdf`);
}

function readStored(decisionId: string): Buffer | null {
	try {
		return readFileSync(pdfPath(decisionId));
	} catch {
		return null;
	}
}

/** Keeps the first copy written: two processes rendering at once end with one file. */
function storeOnce(decisionId: string, bytes: Buffer): Buffer {
	const path = pdfPath(decisionId);
	mkdirSync(join(getDataDir(), 'fiches'), { recursive: true });
	const tmp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
	writeFileSync(tmp, bytes);
	try {
		linkSync(tmp, path);
		return bytes;
	} catch {
		return readStored(decisionId) ?? bytes;
	} finally {
		rmSync(tmp, { force: true });
	}
}

/** The fiche RCP of a decision version; null when the decision does not exist. */
export async function loadDecisionPdf(
	decisionId: string,
	known?: DecisionDocumentData
): Promise<Buffer | null> {
	const stored = readStored(decisionId);
	if (stored) return stored;
	const data = known ?? (await loadDecisionDocumentData(decisionId));
	if (!data) return null;
	if (data.decision.status === 'draft') return renderDecisionPdf(data);
	let pending = inflight.get(decisionId);
	if (!pending) {
		pending = renderDecisionPdf(data)
			.then((bytes) => storeOnce(decisionId, bytes))
			.finally(() => inflight.delete(decisionId));
		inflight.set(decisionId, pending);
	}
	return pending;
}

/** Renders the fiche right after validation, off the request, so the first send finds it ready. */
export function prepareDecisionPdf(decisionId: string): void {
	// After the response: rendering takes a few milliseconds of CPU the chair need not wait for.
	setImmediate(() => {
		loadDecisionPdf(decisionId).catch((e: unknown) =>
			console.error('[delivery] the fiche RCP could not be rendered', decisionId, e)
		);
	});
}
