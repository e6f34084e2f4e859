import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, mailMessages, meetings, meetingSeries, users } from '$lib/server/db/schema';
import { meetingUid } from '$lib/server/calendar';
import { listMeetingInvitees } from '$lib/server/invitations';
import { seriesUid } from '$lib/server/series-calendar';
import { listSeriesOccurrences, listUpcomingMeetings } from '$lib/server/meetings';
import { migratedDb, queryOne } from '../support/db';
import { parseCalendar } from '../support/ical';
import { createNetwork } from './meetings-fixtures';
import {
	getCalendarFeedUrl,
	renderCalendarFeed,
	resetCalendarFeed
} from '$lib/server/calendar-feed';
import { runCalendarMaintenance } from '$lib/server/meeting-upkeep';
import { endSeries, updateSeriesDefaults } from '$lib/server/series-planning';
import {
	addMeeting,
	cancelMeeting,
	planSeries,
	updateMeeting,
	type SeriesPlanInput
} from '$lib/server/meeting-planning';
import { inviteGuest } from '$lib/server/guest-invitations';
import { filterAsync } from '../support/async-array';

const db = await migratedDb();
const net = await createNetwork(db);
// Friday 5 February 2027, 9 h in Paris.
const now = new Date('2027-02-05T08:00:00Z');

const base: SeriesPlanInput = {
	frequency: 'monthly',
	weekday: 3,
	nthWeek: 1,
	startDate: '2027-02-05',
	untilDate: null,
	count: null,
	localStartTime: '13:00',
	durationMinutes: 90,
	place: 'Salle de cardiologie',
	videoOffered: true,
	chairId: net.chairId,
	inviteMembers: false,
	requestId: null
};

const counts = async () => ({
	series: (await db.select().from(meetingSeries)).length,
	meetings: (await db.select().from(meetings)).length,
	invitations: (await db.select().from(invitations)).length
});

describe('planning a series', () => {
	it.each([
		['the 31st of February', { startDate: '2027-02-31' }, 'startDate', /pas une date valide/],
		['an end before the start', { untilDate: '2027-02-01' }, 'untilDate', /postérieure/],
		['a start in the past', { startDate: '2027-01-15' }, 'startDate', /passé/],
		[
			'a Sunday time erased by the spring change',
			{ frequency: 'weekly' as const, weekday: 7, localStartTime: '02:30' },
			'localStartTime',
			/28 mars 2027.*heure d’été/
		],
		[
			'a chair from outside the pathway',
			{ chairId: net.outsiderId },
			'chairId',
			/médecins de la filière/
		]
	])('refuses %s and writes nothing', async (_label, change, field, message) => {
		const before = await counts();
		const result = await planSeries(net.pathwayId, { ...base, ...change }, net.coordinator, now);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[field]).toMatch(message);
		expect(await counts()).toEqual(before);
	});

	it('lays out a first-Wednesday series in Paris time over the horizon, once per form', async () => {
		const input = { ...base, requestId: '2b0c1d9e-2222-4222-8222-000000000002' };
		const first = await planSeries(net.pathwayId, input, net.coordinator, now);
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		const again = await planSeries(net.pathwayId, input, net.coordinator, now);
		expect(again).toMatchObject({ ok: true, seriesId: first.seriesId });
		const rows = (
			await db.select().from(meetings).where(eq(meetings.seriesId, first.seriesId))
		).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
		// 180 days from 5 February reach 4 August, itself a first Wednesday.
		expect(rows.map((r) => r.occurrenceDate)).toEqual([
			'2027-03-03',
			'2027-04-07',
			'2027-05-05',
			'2027-06-02',
			'2027-07-07',
			'2027-08-04'
		]);
		expect(rows[0]!.startsAt.toISOString()).toBe('2027-03-03T12:00:00.000Z');
		expect(rows[1]!.startsAt.toISOString()).toBe('2027-04-07T11:00:00.000Z');
		expect(rows[1]!.deadlineAt.toISOString()).toBe('2027-04-05T11:00:00.000Z');
		expect(rows.every((r) => r.status === 'scheduled' && r.chairId === net.chairId)).toBe(true);
	});
});

describe('one-off meetings', () => {
	const slot = {
		durationMinutes: 60,
		place: 'Salle Niépce',
		videoOffered: false,
		chairId: net.chairId,
		inviteMembers: true,
		requestId: '3c0c1d9e-3333-4333-8333-000000000003'
	};

	it('refuses the past and the spring-forward hour without writing', async () => {
		const before = await counts();
		const past = await addMeeting(
			net.pathwayId,
			{ ...slot, date: '2027-02-04', time: '17:30' },
			net.coordinator,
			now
		);
		expect(past).toMatchObject({ ok: false, errors: { date: expect.stringMatching(/passé/) } });
		const gap = await addMeeting(
			net.pathwayId,
			{ ...slot, date: '2027-03-28', time: '02:15' },
			net.coordinator,
			now
		);
		expect(gap).toMatchObject({
			ok: false,
			errors: { time: expect.stringMatching(/n’existe pas/) }
		});
		expect(await counts()).toEqual(before);
	});

	it('adds one meeting with its doctors invited, once even when the form is sent twice', async () => {
		const input = { ...slot, date: '2027-02-18', time: '12:30' };
		const first = await addMeeting(net.pathwayId, input, net.coordinator, now);
		expect(first).toMatchObject({ ok: true, invited: 3, mails: { stored: 3 } });
		const second = await addMeeting(net.pathwayId, input, net.coordinator, now);
		expect(second).toMatchObject({ ok: true, invited: 0, mails: { stored: 0 } });
		if (!first.ok) return;
		const row = (await queryOne(
			db.select().from(meetings).where(eq(meetings.id, first.meetingId))
		))!;
		expect(row).toMatchObject({ seriesId: null, occurrenceDate: null, videoOffered: false });
		expect(row.startsAt.toISOString()).toBe('2027-02-18T11:30:00.000Z');
		expect((await listMeetingInvitees(row)).map((i) => i.scope)).toEqual([
			'meeting',
			'meeting',
			'meeting'
		]);
		// A member now sees it among their upcoming meetings, answer pending.
		const agenda = await listUpcomingMeetings(net.memberIds[0]!, [net.pathwayId], now);
		expect(agenda.find((m) => m.id === row.id)).toMatchObject({ reply: 'pending' });
	});
});

describe('a series over time', () => {
	let seriesId = '';

	it('shows a cancelled and a moved occurrence in the series view', async () => {
		const planned = await planSeries(
			net.pathwayId,
			{
				...base,
				frequency: 'biweekly',
				weekday: 1,
				nthWeek: null,
				localStartTime: '18:00',
				inviteMembers: true,
				requestId: '4d0c1d9e-4444-4444-8444-000000000004'
			},
			net.coordinator,
			now
		);
		expect(planned.ok).toBe(true);
		if (!planned.ok) return;
		seriesId = planned.seriesId;
		const series = (await queryOne(
			db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
		))!;
		const [first, second] = await listSeriesOccurrences(series, now);
		expect([first!.occurrenceDate, second!.occurrenceDate]).toEqual(['2027-02-08', '2027-02-22']);
		await cancelMeeting(first!.meetingId!, 'Vacances scolaires', net.coordinator, now);
		await updateMeeting(
			second!.meetingId!,
			{
				date: '2027-02-23',
				time: '18:00',
				durationMinutes: 90,
				place: base.place,
				videoOffered: true,
				chairId: net.chairId
			},
			net.coordinator,
			now
		);
		const after = await listSeriesOccurrences(series, now);
		expect(after[0]).toMatchObject({
			occurrenceDate: '2027-02-08',
			status: 'cancelled',
			moved: false
		});
		expect(after[1]).toMatchObject({
			occurrenceDate: '2027-02-22',
			status: 'scheduled',
			moved: true
		});
		expect(after[1]!.startsAt.toISOString()).toBe('2027-02-23T17:00:00.000Z');
	});

	it('changes the chair and place of the coming meetings, except those changed one by one', async () => {
		const series = (await queryOne(
			db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
		))!;
		const [, , third, fourth] = await listSeriesOccurrences(series, now);
		await updateMeeting(
			third!.meetingId!,
			{
				date: third!.occurrenceDate,
				time: '18:00',
				durationMinutes: 90,
				place: 'Amphithéâtre',
				videoOffered: true,
				chairId: net.chairId
			},
			net.coordinator,
			now
		);
		const before = (await queryOne(
			db.select().from(meetings).where(eq(meetings.id, fourth!.meetingId!))
		))!;
		const result = await updateSeriesDefaults(
			seriesId,
			{ chairId: net.memberIds[1]!, place: 'Salle B', videoOffered: true },
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: true, changed: ['président', 'lieu'] });
		const row = async (id: string) =>
			(await queryOne(db.select().from(meetings).where(eq(meetings.id, id))))!;
		expect(await row(third!.meetingId!)).toMatchObject({
			place: 'Amphithéâtre',
			chairId: net.memberIds[1]
		});
		expect(await row(fourth!.meetingId!)).toMatchObject({
			place: 'Salle B',
			chairId: net.memberIds[1],
			icsSequence: before.icsSequence + 1
		});
		// The cancelled first occurrence is left as it was.
		expect((await row((await listSeriesOccurrences(series, now))[0]!.meetingId!)).place).toBe(
			base.place
		);
		const refused = await updateSeriesDefaults(
			seriesId,
			{ chairId: net.outsiderId, place: 'Salle B', videoOffered: true },
			net.coordinator,
			now
		);
		expect(refused.ok).toBe(false);
	});

	it('materializes the meetings entering the horizon as time passes, idempotently', async () => {
		const later = new Date(now.getTime() + 60 * 86_400_000);
		const before = (await db.select().from(meetings).where(eq(meetings.seriesId, seriesId))).length;
		const run = await runCalendarMaintenance(later);
		const after = (await db.select().from(meetings).where(eq(meetings.seriesId, seriesId))).length;
		expect(after).toBeGreaterThan(before);
		expect(run.meetings).toBeGreaterThanOrEqual(after - before);
		// Changed with #15: the three invitees hold the series as one recurring event, so the
		// meetings entering the horizon need no new invitation (it used to send one per meeting).
		expect(run.mails.stored).toBe(0);
		expect((await runCalendarMaintenance(later)).meetings).toBe(0);
		expect((await runCalendarMaintenance(later)).mails).toEqual({
			sent: 0,
			stored: 0,
			failed: 0,
			undelivered: 0
		});
	});

	// Changed with #15: series invitees hold one recurring event, so ending the series resends it
	// with its UNTIL (one mail each) instead of one CANCEL per meeting; a meeting is « announced »
	// by its own mails (here a guest's) or what hangs on it.
	it('ends the series: announced meetings cancelled with a CANCEL, the others removed', async () => {
		const later = new Date(now.getTime() + 60 * 86_400_000);
		const rows = await db.select().from(meetings).where(eq(meetings.seriesId, seriesId));
		const after = rows.filter((r) => r.occurrenceDate! > '2027-04-30' && r.status === 'scheduled');
		const guestMeeting = after.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0]!;
		await inviteGuest(
			guestMeeting.id,
			{ name: 'Dr Chloé Vincent', rpps: null, email: 'c.vincent@test.mssante.fr', caseId: null },
			net.coordinator,
			now
		);
		const announced = await filterAsync(
			after,
			async (r) =>
				(
					await db
						.select()
						.from(mailMessages)
						.where(eq(mailMessages.icsUid, meetingUid(r.id)))
				).length > 0
		);
		expect(announced.map((r) => r.id)).toEqual([guestMeeting.id]);
		expect(announced.length).toBeLessThan(after.length);
		const result = await endSeries(seriesId, '2027-04-30', net.coordinator, now);
		expect(result).toMatchObject({
			ok: true,
			cancelled: announced.length,
			removed: after.length - announced.length,
			// the three series invitees get the series' end; the guest (no SMTP here) cannot
			mails: { stored: 3, undelivered: 1 }
		});
		const row = (await queryOne(
			db.select().from(meetings).where(eq(meetings.id, guestMeeting.id))
		))!;
		expect(row).toMatchObject({ status: 'cancelled', icsSequence: guestMeeting.icsSequence + 1 });
		const ends = (
			await db
				.select()
				.from(mailMessages)
				.where(eq(mailMessages.icsUid, seriesUid(seriesId)))
		)
			.filter((m) => m.kind === 'meeting_update')
			.map((m) => Buffer.from(m.attachments[0]!.content, 'base64').toString('utf8'))
			.filter((ics) => /^RRULE:.*UNTIL=/m.test(ics));
		expect(ends).toHaveLength(3);
		for (const ics of ends) expect(ics).toMatch(/^RRULE:.*UNTIL=20270430T160000Z/m);
		const remaining = await db.select().from(meetings).where(eq(meetings.seriesId, seriesId));
		expect(remaining.filter((r) => r.occurrenceDate! > '2027-04-30')).toHaveLength(
			announced.length
		);
		expect((await runCalendarMaintenance(later)).meetings).toBe(0);
		expect((await endSeries(seriesId, '2027-04-30', net.coordinator, now)).ok).toBe(false);
	});

	it('refuses to end a series in the past', async () => {
		const result = await endSeries(seriesId, '2027-01-01', net.coordinator, now);
		expect(result).toMatchObject({
			ok: false,
			errors: { lastDate: expect.stringMatching(/passé/) }
		});
	});
});

describe('ending a series whose invitations count as mailed', () => {
	it('cancels, never silently removes, the meetings its invitations already cover', async () => {
		// Invitations marked as mailed up to a date (as imported or demo data are), with no mail
		// rows kept: the invitees have those meetings in their agenda all the same.
		const planned = await planSeries(
			net.pathwayId,
			{
				...base,
				frequency: 'weekly',
				weekday: 4,
				nthWeek: null,
				localStartTime: '08:00',
				inviteMembers: false,
				requestId: '4d0c1d9e-4444-4444-8444-000000000009'
			},
			net.coordinator,
			now
		);
		expect(planned.ok).toBe(true);
		if (!planned.ok) return;
		const mailedUntil = new Date('2027-03-15T00:00:00Z');
		for (const userId of [net.memberIds[0]!, net.memberIds[1]!]) {
			await db.insert(invitations).values({
				id: crypto.randomUUID(),
				seriesId: planned.seriesId,
				userId,
				sentAt: now,
				mailedUntil,
				createdAt: now
			});
		}
		const later = (
			await db.select().from(meetings).where(eq(meetings.seriesId, planned.seriesId))
		).filter((m) => m.occurrenceDate! > '2027-02-20');
		const covered = later.filter((m) => m.startsAt < mailedUntil);
		expect(covered.length).toBeGreaterThan(0);
		const result = await endSeries(planned.seriesId, '2027-02-20', net.coordinator, now);
		expect(result).toMatchObject({
			ok: true,
			cancelled: covered.length,
			removed: later.length - covered.length
		});
		for (const m of covered) {
			expect(await queryOne(db.select().from(meetings).where(eq(meetings.id, m.id)))).toMatchObject(
				{
					status: 'cancelled'
				}
			);
		}
	});
});

describe('personal calendar feed', () => {
	it('lists the member’s meetings, cancelled ones marked, at a secret address that can be reset', async () => {
		const member = net.memberIds[1]!;
		const url = (await getCalendarFeedUrl(member))!;
		const address = url.split('/').at(-1)!;
		const text = (await renderCalendarFeed(address, now))!;
		const { method, events } = parseCalendar(text);
		expect(method).toBe('PUBLISH');
		const cancelled = events.find((e) => e.summary.startsWith('ANNULÉE'));
		expect(cancelled?.status).toBe('CANCELLED');
		expect(events.length).toBeGreaterThan(5);
		expect(events.every((e) => e.tzid === 'Europe/Paris')).toBe(true);
		expect(text).not.toContain('DURAND');

		expect(await renderCalendarFeed(address.replace(/\.(.)/, '.x'), now)).toBeNull();
		expect(
			await renderCalendarFeed(`${net.outsiderId}.${address.split('.')[1]}.ics`, now)
		).toBeNull();
		const fresh = (await resetCalendarFeed(member, net.coordinator)).split('/').at(-1)!;
		expect(await renderCalendarFeed(address, now)).toBeNull();
		expect(await renderCalendarFeed(fresh, now)).not.toBeNull();
		await db.update(users).set({ disabledAt: now }).where(eq(users.id, member));
		expect(await renderCalendarFeed(fresh, now)).toBeNull();
	});
});
