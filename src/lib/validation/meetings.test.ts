import { describe, expect, it } from 'vitest';
import { parseForm } from './form';
import { inviteGuestSchema, meetingSlotSchema, seriesSchema } from './meetings';

function form(fields: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.append(k, v);
	return f;
}

const chair = '8d1f6a52-3c4b-4e7a-9f10-2b3c4d5e6f70';
const series = {
	frequency: 'weekly',
	weekday: '2',
	startDate: '2027-03-02',
	endKind: 'none',
	localStartTime: '17:30',
	durationMinutes: '90',
	place: 'Salle de staff 2',
	videoOffered: 'on',
	chairId: chair,
	inviteMembers: 'on'
};

describe('series form', () => {
	it('reads a weekly series', () => {
		const r = parseForm(seriesSchema, form(series));
		expect(r.ok).toBe(true);
		if (r.ok) {
			expect(r.data).toMatchObject({
				frequency: 'weekly',
				weekday: 2,
				nthWeek: null,
				untilDate: null,
				count: null,
				videoOffered: true,
				inviteMembers: true,
				requestId: null
			});
		}
	});

	it('refuses the 31st of February, in French, keeping what was typed', () => {
		const r = parseForm(seriesSchema, form({ ...series, startDate: '2027-02-31' }));
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.startDate).toBe('La date de début n’est pas une date valide.');
			expect(r.values.startDate).toBe('2027-02-31');
		}
	});

	it('asks for the end that was chosen, and the week of a monthly series', () => {
		const r = parseForm(
			seriesSchema,
			form({ ...series, frequency: 'monthly', nthWeek: '', endKind: 'until', untilDate: '' })
		);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.nthWeek).toMatch(/semaine du mois/);
			expect(r.errors.untilDate).toBe('Indiquez la date de fin.');
		}
		const count = parseForm(seriesSchema, form({ ...series, endKind: 'count', count: '300' }));
		expect(count.ok).toBe(false);
		if (!count.ok) expect(count.errors.count).toMatch(/entre 1 et 260/);
	});

	it('keeps only the end that was chosen', () => {
		const r = parseForm(
			seriesSchema,
			form({ ...series, endKind: 'count', count: '10', untilDate: '2027-12-31' })
		);
		expect(r.ok && r.data.untilDate === null && r.data.count === 10).toBe(true);
	});
});

describe('meeting slot form', () => {
	it('refuses a malformed time and a silly duration', () => {
		const r = parseForm(
			meetingSlotSchema,
			form({
				date: '2027-03-02',
				time: '17h30',
				durationMinutes: '5',
				place: 'Salle',
				chairId: chair
			})
		);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.time).toMatch(/HH:MM/);
			expect(r.errors.durationMinutes).toMatch(/au moins 15 minutes/);
		}
	});
});

describe('outside doctor form', () => {
	const guest = { guestName: 'Dr Pierre Renaud', guestEmail: 'p.renaud@demo.mssante.fr' };

	it('accepts a doctor without RPPS and normalizes the address', () => {
		const r = parseForm(
			inviteGuestSchema,
			form({ ...guest, guestEmail: ' P.Renaud@Demo.MSSante.fr ', guestRpps: '' })
		);
		expect(r).toMatchObject({
			ok: true,
			data: { guestEmail: 'p.renaud@demo.mssante.fr', guestRpps: null, caseId: null }
		});
	});

	it('refuses a malformed address and an RPPS of the wrong length or check digit', () => {
		const bad = parseForm(
			inviteGuestSchema,
			form({ ...guest, guestEmail: 'p.renaud@', guestRpps: '1009900015' })
		);
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.errors.guestEmail).toMatch(/n’est pas valide/);
			expect(bad.errors.guestRpps).toBe('Le numéro RPPS comporte 11 chiffres.');
		}
		const luhn = parseForm(inviteGuestSchema, form({ ...guest, guestRpps: '10099000158' }));
		expect(luhn.ok).toBe(false);
		if (!luhn.ok) expect(luhn.errors.guestRpps).toMatch(/chiffre de contrôle/);
		expect(parseForm(inviteGuestSchema, form({ ...guest, guestRpps: '10099000159' })).ok).toBe(
			true
		);
	});
});
