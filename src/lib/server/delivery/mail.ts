import { describePatientDiscreetly } from '$lib/domain/civility';
import type { SendResult } from '$lib/domain/decision';
import { formatParisDate, formatParisDateTime } from '$lib/domain/schedule';
import { getMailFrom } from '../config';
import { sendMail, type MailOutcome, type OutgoingMail } from '../mail';
import { FRCP_TYPE_CODE } from '$lib/domain/cda-value-sets';
import type { DecisionDocumentData } from './document-data';

/**
 * The decision mail (MSSanté style) to the referring doctor and the GP: a short French text,
 * the PDF fiche and the IHE XDM zip, the X-MSS-* headers, and a Message-ID fixed per outbox row
 * so a resend is recognisably the same message (and the in-app record is not duplicated).
 */

function domainOf(address: string): string {
	return address.match(/@([^>\s]+)/)?.[1] ?? 'pluri.localhost';
}

/**
 * Stable per outbox row; a send that had to leave the Fiche RCP (CDA) out has its own id, so the
 * later send with the CDA (once the coordinator fixed the data) is a new message, not a repeat.
 */
export function decisionMessageId(outboxId: string, cdaWithheld = false): string {
	return `<decision-${outboxId}${cdaWithheld ? '-sans-cda' : ''}@${domainOf(getMailFrom())}>`;
}

export interface DecisionMailCda {
	/** The Fiche RCP (CDA) is in the XDM zip. */
	attached: boolean;
	/** It could not be produced for this oncology decision (the reason is on the outbox row). */
	withheld: boolean;
}

/** « Mme M. B., née en 1958 »: the civility comes from the recorded sex. */
function discreetPatient(p: DecisionDocumentData['patient']): string {
	return describePatientDiscreetly(p);
}

export function buildDecisionMail(
	data: DecisionDocumentData,
	recipient: string,
	outboxId: string,
	pdf: Uint8Array,
	xdm: Uint8Array,
	cda: DecisionMailCda = { attached: false, withheld: false }
): OutgoingMail {
	const d = data.decision;
	const p = data.patient;
	const meetingDate = data.meeting ? formatParisDate(data.meeting.startsAt) : null;
	const amended = d.amendsId !== null;
	const subject = `${amended ? 'Proposition thérapeutique amendée' : 'Proposition thérapeutique'} — ${data.pathway.name}${meetingDate ? ` du ${meetingDate}` : ''} — patient ${discreetPatient(p)}`;
	const lines = [
		'Chère consœur, cher confrère,',
		'',
		amended
			? `La proposition thérapeutique de la ${data.pathway.name} concernant votre patient(e) ${discreetPatient(p)} a été amendée (version ${d.version}).`
			: `Votre patient(e) ${discreetPatient(p)} a été discuté(e) en ${data.pathway.name}${data.meeting ? ` le ${formatParisDateTime(data.meeting.startsAt)}` : ''}.`,
		'',
		`Proposition : ${d.proposals.map((x) => x.label).join(', ')}.`,
		...(d.conformityLabel ? [`${d.conformityLabel}.`] : []),
		...(amended && d.amendReason ? [`Motif de l’amendement : ${d.amendReason}`] : []),
		'',
		cda.attached
			? 'Vous trouverez ci-joint la fiche RCP (PDF) et l’archive IHE XDM (fiche RCP structurée CDA du CI-SIS) à intégrer au dossier du patient.'
			: 'Vous trouverez ci-joint la fiche RCP (PDF) et le document structuré (archive IHE XDM) à intégrer au dossier du patient.',
		'',
		data.validator
			? `Proposition validée par ${data.validator.name}, président(e) de séance.`
			: 'Proposition validée par le président de séance.',
		'',
		'Ce message contient des données de santé à caractère personnel : il est destiné au seul professionnel de santé nommé et ne doit pas être transféré.',
		'',
		'— Pluri, secrétariat des RCP'
	];
	const headers: Record<string, string> = {
		'X-MSS-TYPE': 'RCP',
		'X-MSS-VERSION': String(d.version)
	};
	// MSSanté: the CDA's type code says what structured document the mail carries.
	if (cda.attached) {
		// ASCII only: a header is not the place for an encoded word.
		headers['X-MSS-CODECDA'] =
			`${FRCP_TYPE_CODE.code}^Interdisciplinary conference Note^${FRCP_TYPE_CODE.codeSystem}`;
	}
	// Only a qualified INS may travel with the documents (DESIGN §3).
	if (p.insMatricule && p.insOid && p.identityStatus === 'qualified') {
		headers['X-MSS-INS'] = `${p.insMatricule}^^^&${p.insOid}&ISO^NH`;
	}
	const stem = `fiche-rcp-${p.birthName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-v${d.version}`;
	return {
		to: recipient,
		subject,
		text: lines.join('\n'),
		headers,
		kind: 'decision',
		messageId: decisionMessageId(outboxId, cda.withheld),
		attachments: [
			{ filename: `${stem}.pdf`, contentType: 'application/pdf', content: Buffer.from(pdf) },
			{ filename: 'IHE_XDM.ZIP', contentType: 'application/zip', content: Buffer.from(xdm) }
		]
	};
}

/** A refusal by the relay (5xx, unknown recipient) will not get better by itself. */
function isPermanentSmtpError(error: string): boolean {
	return /recipients were rejected|\b55\d\b|^5\d\d\b/i.test(error);
}

export async function sendDecisionMail(mail: OutgoingMail): Promise<SendResult> {
	let outcome: MailOutcome;
	try {
		outcome = await sendMail(mail);
	} catch (e) {
		return {
			kind: 'retry',
			error: `Envoi du courriel impossible : ${e instanceof Error ? e.message : String(e)}`
		};
	}
	if (!('error' in outcome)) return { kind: 'delivered', remoteId: outcome.messageId };
	// No SMTP server and no account to keep it for: retrying will not help until one is set up.
	if (outcome.status === 'undelivered') return { kind: 'failed', error: outcome.error };
	const error = `Le serveur de messagerie a refusé ou interrompu l’envoi : ${outcome.error}`;
	return isPermanentSmtpError(outcome.error) ? { kind: 'failed', error } : { kind: 'retry', error };
}
