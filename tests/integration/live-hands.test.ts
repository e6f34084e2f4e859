import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { meetings } from '$lib/server/db/schema';
import { cutLiveView, readLiveSnapshot, type LiveView } from '$lib/server/live/state';
import { setOwnHand } from '$lib/server/live/hands';
import { subscribeMeeting, type MeetingEvent } from '$lib/server/live/bus';
import { getDb, queryOne } from '$lib/server/db';
import { invitations } from '$lib/server/db/schema';
import { actions } from '../../src/routes/(app)/meetings/[meetingId]/room/+page.server';
import { actions as guestActions } from '../../src/routes/(public)/invitation/[token]/room/+page.server';
import { migratedDb } from '../support/db';
import { createLiveNetwork, type LiveNetwork } from './live-fixtures';
import { toGuestActor } from '$lib/server/guest-links';

const db = await migratedDb();

async function openMeeting(code: string): Promise<LiveNetwork> {
	const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000), code);
	await db
		.update(meetings)
		.set({ status: 'open', openedAt: new Date(), currentCaseId: net.caseIds[0] })
		.where(eq(meetings.id, net.meetingId));
	return net;
}

type Who = Parameters<LiveNetwork['actor']>[0];

async function call(
	net: LiveNetwork,
	action: 'raiseHand' | 'lowerHand',
	caller: { net: LiveNetwork; who: Who },
	fields: Record<string, string>
): Promise<unknown> {
	const url = new URL(`http://pluri.test/meetings/${net.meetingId}/room?/${action}`);
	const request = new Request(url, { method: 'POST', body: new URLSearchParams(fields) });
	const locals = {
		actor: await caller.net.actor(caller.who),
		audit: caller.net.audit(caller.who),
		user: await caller.net.user(caller.who)
	};
	// @ts-expect-error a partial request event is enough for these actions
	return actions[action]({ params: { meetingId: net.meetingId }, locals, request, url });
}

async function move(net: LiveNetwork, action: 'next' | 'previous'): Promise<unknown> {
	const url = new URL(`http://pluri.test/meetings/${net.meetingId}/room?/${action}`);
	const request = new Request(url, { method: 'POST', body: new URLSearchParams() });
	const locals = {
		actor: await net.actor('chair'),
		audit: net.audit('chair'),
		user: await net.user('chair')
	};
	// @ts-expect-error a partial request event is enough for these actions
	return actions[action]({ params: { meetingId: net.meetingId }, locals, request, url });
}

async function viewOf(net: LiveNetwork, who: Who): Promise<LiveView> {
	return cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor(who)).view;
}

describe('« lever la main »', () => {
	it('shows the chair the raised hands in the order raised, with name, specialty and time', async () => {
		const net = await openMeeting('hands-1');
		const events: MeetingEvent[] = [];
		const stop = subscribeMeeting(net.meetingId, (e) => events.push(e));
		expect(
			await call(net, 'raiseHand', { net, who: 'radiotherapist' }, { raised: 'true' })
		).toMatchObject({
			action: 'hand',
			success: expect.stringContaining('levé la main')
		});
		await new Promise((r) => setTimeout(r, 5)); // distinct times
		expect(await call(net, 'raiseHand', { net, who: 'surgeon' }, { raised: 'true' })).toMatchObject(
			{
				action: 'hand'
			}
		);
		// Raising again (double click, reload) keeps one's place.
		await call(net, 'raiseHand', { net, who: 'radiotherapist' }, { raised: 'true' });
		expect(events.filter((e) => e.type === 'hands')).toHaveLength(2);
		stop();

		const chair = await viewOf(net, 'chair');
		expect(chair.raisedHands.map((h) => [h.name, h.specialty])).toEqual([
			[expect.stringMatching(/Nicolas Garnier/), 'Oncologie radiothérapie'],
			[expect.stringMatching(/Julien Moreau/), expect.any(String)]
		]);
		expect(Date.parse(chair.raisedHands[0]!.raisedAt)).toBeLessThan(
			Date.parse(chair.raisedHands[1]!.raisedAt)
		);
		// A member sees their own hand, not the list.
		const member = await viewOf(net, 'surgeon');
		expect(member.handRaised).toBe(true);
		expect(member.raisedHands).toEqual([]);
		expect((await viewOf(net, 'chair')).handRaised).toBe(false);

		// The member lowers their own; the chair lowers the other one.
		await call(net, 'raiseHand', { net, who: 'surgeon' }, { raised: 'false' });
		expect((await viewOf(net, 'surgeon')).handRaised).toBe(false);
		const key = `user:${net.ids.radiotherapist}`;
		expect(await call(net, 'lowerHand', { net, who: 'chair' }, { identity: key })).toMatchObject({
			action: 'hand',
			success: expect.stringContaining('Nicolas Garnier')
		});
		expect((await viewOf(net, 'chair')).raisedHands).toEqual([]);
		expect(await call(net, 'lowerHand', { net, who: 'chair' }, { identity: key })).toMatchObject({
			status: 409
		});
	});

	it('refuses a doctor of another pathway (403) and a member lowering someone else’s hand (403)', async () => {
		const net = await openMeeting('hands-2');
		const other = await openMeeting('hands-2-other');
		await expect(
			call(net, 'raiseHand', { net: other, who: 'surgeon' }, { raised: 'true' })
		).rejects.toMatchObject({ status: 403 });
		await call(net, 'raiseHand', { net, who: 'radiotherapist' }, { raised: 'true' });
		await expect(
			call(
				net,
				'lowerHand',
				{ net, who: 'surgeon' },
				{ identity: `user:${net.ids.radiotherapist}` }
			)
		).rejects.toMatchObject({ status: 403 });
		expect((await viewOf(net, 'chair')).raisedHands).toHaveLength(1);
		// Bad input returns a French message, not a 500.
		expect(
			await call(net, 'raiseHand', { net, who: 'surgeon' }, { raised: 'peut-être' })
		).toMatchObject({
			status: 400,
			data: { message: 'Demande de parole inconnue.' }
		});
	});

	it('refuses a hand before the meeting is open (409), and shows a guest’s hand to the chair', async () => {
		const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000), 'hands-3');
		expect(await call(net, 'raiseHand', { net, who: 'surgeon' }, { raised: 'true' })).toMatchObject(
			{
				status: 409
			}
		);
		await db
			.update(meetings)
			.set({ status: 'open', openedAt: new Date() })
			.where(eq(meetings.id, net.meetingId));
		const inv = (await queryOne(
			getDb().select().from(invitations).where(eq(invitations.id, net.guest.invitationId))
		))!;
		const guest = toGuestActor(inv);
		expect(await setOwnHand(net.meetingId, guest, true)).toMatchObject({ ok: true });
		const chair = await viewOf(net, 'chair');
		expect(chair.raisedHands).toEqual([
			expect.objectContaining({ key: `guest:${inv.id}`, specialty: 'Médecin invité(e)' })
		]);
		expect(cutLiveView((await readLiveSnapshot(net.meetingId))!, guest).view.handRaised).toBe(true);
	});

	it('lets the GP guest raise her hand from her link during her case only', async () => {
		const net = await openMeeting('hands-4');
		const guestCall = (token: string) => {
			const url = new URL(`http://pluri.test/invitation/${token}/room?/raiseHand`);
			const request = new Request(url, {
				method: 'POST',
				body: new URLSearchParams({ raised: 'true' })
			});
			// @ts-expect-error a partial request event is enough for this action
			return guestActions.raiseHand({
				params: { token },
				request,
				url,
				getClientAddress: () => '192.0.2.7'
			});
		};
		await db
			.update(meetings)
			.set({ currentCaseId: net.caseIds.find((c) => c !== net.guest.caseId)! })
			.where(eq(meetings.id, net.meetingId));
		expect(await guestCall(net.guest.token)).toMatchObject({ status: 409 });
		await db
			.update(meetings)
			.set({ currentCaseId: net.guest.caseId })
			.where(eq(meetings.id, net.meetingId));
		expect(await guestCall(net.guest.token)).toMatchObject({
			success: expect.stringContaining('levé la main')
		});
		expect((await viewOf(net, 'chair')).raisedHands.map((h) => h.key)).toEqual([
			`guest:${net.guest.invitationId}`
		]);
		await expect(guestCall('inconnu-0000000000000000000000')).rejects.toMatchObject({
			status: 404
		});
	});

	it('lowers the GP guest’s hand when the chair moves on from her case, and only hers', async () => {
		const net = await openMeeting('hands-5');
		await db
			.update(meetings)
			.set({ currentCaseId: net.guest.caseId })
			.where(eq(meetings.id, net.meetingId));
		const inv = (await queryOne(
			getDb().select().from(invitations).where(eq(invitations.id, net.guest.invitationId))
		))!;
		const guest = toGuestActor(inv);
		const guestKey = `guest:${inv.id}`;
		expect(await setOwnHand(net.meetingId, guest, true)).toMatchObject({ ok: true });
		await call(net, 'raiseHand', { net, who: 'surgeon' }, { raised: 'true' });
		expect((await viewOf(net, 'chair')).raisedHands.map((h) => h.key)).toContain(guestKey);

		// What every screen receives with the case change already shows her hand lowered.
		const seen: string[][] = [];
		const views: Promise<void>[] = [];
		const stop = subscribeMeeting(net.meetingId, () => {
			views.push(
				viewOf(net, 'chair').then((v) => {
					seen.push(v.raisedHands.map((h) => h.key));
				})
			);
		});
		const moved = await move(net, 'next');
		stop();
		await Promise.all(views);
		expect(moved).toMatchObject({ action: 'move' });
		expect(seen[0]).toEqual([`user:${net.ids.surgeon}`]);
		expect((await viewOf(net, 'chair')).raisedHands.map((h) => h.key)).toEqual([
			`user:${net.ids.surgeon}`
		]);
		expect((await viewOf(net, 'surgeon')).handRaised).toBe(true);
		expect(cutLiveView((await readLiveSnapshot(net.meetingId))!, guest).view.handRaised).toBe(
			false
		);

		// Back to her case: her hand stays down until she raises it again.
		await move(net, 'previous');
		expect(
			(await queryOne(db.select().from(meetings).where(eq(meetings.id, net.meetingId))))!
				.currentCaseId
		).toBe(net.guest.caseId);
		expect((await viewOf(net, 'chair')).raisedHands.map((h) => h.key)).not.toContain(guestKey);
	});
});
