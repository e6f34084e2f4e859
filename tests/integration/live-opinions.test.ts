import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { canGiveWrittenOpinion } from '$lib/server/auth/access';
import { auditEvents, writtenOpinions } from '$lib/server/db/schema';
import { getCase } from '$lib/server/cases';
import { openLiveMeeting } from '$lib/server/live/control';
import { listCaseOpinions, saveWrittenOpinion, withdrawWrittenOpinion } from '$lib/server/opinions';
import { migratedDb } from '../support/db';
import { createLiveNetwork } from './live-fixtures';
import { toCaseRef } from '$lib/server/case-refs';

const db = migratedDb();
const net = createLiveNetwork(db, new Date(Date.now() + 60 * 60_000));
const theCase = () => getCase(net.caseIds[0])!;

describe('written opinions before the meeting', () => {
	it('are given by pathway doctors who may see the case, not by others', () => {
		const ref = toCaseRef(theCase());
		expect(canGiveWrittenOpinion(net.actor('radiotherapist'), ref)).toBe(true);
		expect(canGiveWrittenOpinion(net.actor('uninvited'), ref)).toBe(false); // not invited to the meeting
		expect(canGiveWrittenOpinion(net.actor('outsider'), ref)).toBe(false);
		expect(canGiveWrittenOpinion(net.actor('coordinator'), ref)).toBe(false); // no specialty
	});

	it('are saved once per doctor, rewritten, audited with the patient', () => {
		const author = { id: net.ids.radiotherapist, specialty: 'radiation_oncology' };
		expect(
			saveWrittenOpinion(theCase(), author, 'Premier avis.', net.audit('radiotherapist'))
		).toEqual({
			ok: true,
			created: true
		});
		expect(
			saveWrittenOpinion(
				theCase(),
				author,
				'Avis révisé : RCT néoadjuvante.',
				net.audit('radiotherapist')
			)
		).toEqual({
			ok: true,
			created: false
		});
		const lines = listCaseOpinions(net.caseIds[0]);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({
			authorName: 'Dr Nicolas Garnier',
			specialty: 'radiation_oncology',
			text: 'Avis révisé : RCT néoadjuvante.'
		});
		const audit = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'opinion.update'))
			.all();
		expect(audit.at(-1)).toMatchObject({ patientId: net.patientIds[0], objectId: net.caseIds[0] });
		expect(
			saveWrittenOpinion(
				theCase(),
				{ id: net.ids.coordinator, specialty: null },
				'x'.repeat(20),
				net.audit('coordinator')
			)
		).toEqual({
			ok: false,
			message: 'Un avis écrit est donné au titre d’une spécialité.'
		});
	});

	it('may be withdrawn, and close when the meeting opens', async () => {
		const author = { id: net.ids.surgeon, specialty: 'visceral_surgery' };
		saveWrittenOpinion(theCase(), author, 'Chirurgie d’emblée.', net.audit('surgeon'));
		expect(withdrawWrittenOpinion(theCase(), net.ids.surgeon, net.audit('surgeon'))).toEqual({
			ok: true,
			created: false
		});
		expect(withdrawWrittenOpinion(theCase(), net.ids.surgeon, net.audit('surgeon')).ok).toBe(false);
		await openLiveMeeting(net.meetingId, net.audit('chair'));
		const before = db.select().from(writtenOpinions).all().length;
		expect(saveWrittenOpinion(theCase(), author, 'Trop tard.', net.audit('surgeon'))).toEqual({
			ok: false,
			message: 'La séance a commencé ou est terminée : les avis écrits ne sont plus recueillis.'
		});
		expect(
			withdrawWrittenOpinion(theCase(), net.ids.radiotherapist, net.audit('radiotherapist')).ok
		).toBe(false);
		expect(db.select().from(writtenOpinions).all().length).toBe(before);
	});
});
