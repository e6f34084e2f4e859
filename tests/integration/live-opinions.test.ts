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

const db = await migratedDb();
const net = await createLiveNetwork(db, new Date(Date.now() + 60 * 60_000));
const theCase = async () => (await getCase(net.caseIds[0]))!;

describe('written opinions before the meeting', () => {
	it('are given by pathway doctors who may see the case, not by others', async () => {
		const ref = await toCaseRef(await theCase());
		expect(canGiveWrittenOpinion(await net.actor('radiotherapist'), ref)).toBe(true);
		expect(canGiveWrittenOpinion(await net.actor('uninvited'), ref)).toBe(false); // not invited to the meeting
		expect(canGiveWrittenOpinion(await net.actor('outsider'), ref)).toBe(false);
		expect(canGiveWrittenOpinion(await net.actor('coordinator'), ref)).toBe(false); // no specialty
	});

	it('are saved once per doctor, rewritten, audited with the patient', async () => {
		const author = { id: net.ids.radiotherapist, specialty: 'radiation_oncology' };
		expect(
			await saveWrittenOpinion(
				await theCase(),
				author,
				'Premier avis.',
				net.audit('radiotherapist')
			)
		).toEqual({
			ok: true,
			created: true
		});
		expect(
			await saveWrittenOpinion(
				await theCase(),
				author,
				'Avis révisé : RCT néoadjuvante.',
				net.audit('radiotherapist')
			)
		).toEqual({
			ok: true,
			created: false
		});
		const lines = await listCaseOpinions(net.caseIds[0]);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({
			authorName: 'Dr Nicolas Garnier',
			specialty: 'radiation_oncology',
			text: 'Avis révisé : RCT néoadjuvante.'
		});
		const audit = await db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'opinion.update'));
		expect(audit.at(-1)).toMatchObject({ patientId: net.patientIds[0], objectId: net.caseIds[0] });
		expect(
			await saveWrittenOpinion(
				await theCase(),
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
		await saveWrittenOpinion(await theCase(), author, 'Chirurgie d’emblée.', net.audit('surgeon'));
		expect(
			await withdrawWrittenOpinion(await theCase(), net.ids.surgeon, net.audit('surgeon'))
		).toEqual({
			ok: true,
			created: false
		});
		expect(
			(await withdrawWrittenOpinion(await theCase(), net.ids.surgeon, net.audit('surgeon'))).ok
		).toBe(false);
		await openLiveMeeting(net.meetingId, net.audit('chair'));
		const before = (await db.select().from(writtenOpinions)).length;
		expect(
			await saveWrittenOpinion(await theCase(), author, 'Trop tard.', net.audit('surgeon'))
		).toEqual({
			ok: false,
			message: 'La séance a commencé ou est terminée : les avis écrits ne sont plus recueillis.'
		});
		expect(
			(
				await withdrawWrittenOpinion(
					await theCase(),
					net.ids.radiotherapist,
					net.audit('radiotherapist')
				)
			).ok
		).toBe(false);
		expect((await db.select().from(writtenOpinions)).length).toBe(before);
	});
});
