// The region's network: establishments, four RCPs of unequal size, their doctors and GPs, and
// ten years of weekly meetings with invitations and attendance (bench/region/generate.js).
import { cities, femaleNames, lastNames, maleNames } from './words.js';

const DAY = 86_400_000;

/** Four RCPs: share of the cases, meeting weekdays (1 = Monday), specialties of the members. */
const PATHWAYS = [
	{
		code: 'onco-digestive',
		name: 'RCP Cancers digestifs',
		kind: 'oncology',
		organ: 'digestive',
		share: 0.42,
		weekdays: [1, 3, 5],
		chair: 'medical_oncology',
		specialties: [
			'medical_oncology',
			'visceral_surgery',
			'radiology',
			'gastroenterology',
			'radiation_oncology',
			'pathology'
		]
	},
	{
		code: 'onco-thoracic',
		name: 'RCP Oncologie thoracique',
		kind: 'oncology',
		organ: 'thoracic',
		share: 0.26,
		weekdays: [2, 4],
		chair: 'medical_oncology',
		specialties: [
			'medical_oncology',
			'thoracic_surgery',
			'pulmonology',
			'radiology',
			'radiation_oncology',
			'pathology'
		]
	},
	{
		code: 'onco-breast',
		name: 'RCP Sénologie',
		kind: 'oncology',
		organ: 'breast',
		share: 0.18,
		weekdays: [2, 5],
		chair: 'medical_oncology',
		specialties: [
			'medical_oncology',
			'gynaecological_surgery',
			'radiology',
			'radiation_oncology',
			'pathology',
			'nuclear_medicine'
		]
	},
	{
		code: 'ic-sud-bourgogne',
		name: 'RCP Insuffisance cardiaque',
		kind: 'heart_failure',
		organ: null,
		share: 0.14,
		weekdays: [3, 4],
		chair: 'hf_cardiology',
		specialties: [
			'hf_cardiology',
			'cardiology',
			'electrophysiology',
			'geriatrics',
			'nephrology',
			'cardiac_rehabilitation'
		]
	}
];

/** @param {ReturnType<import('./random.js').createRandom>} rand @param {Date} since */
export function buildPathways(rand, since) {
	return PATHWAYS.map((p) => {
		const id = rand.uuid();
		const required =
			p.kind === 'oncology'
				? ['medical_oncology', p.specialties[1], 'radiology']
				: ['hf_cardiology'];
		return {
			...p,
			id,
			row: {
				id,
				code: p.code,
				name: p.name,
				kind: p.kind,
				quorum_rule: {
					requiredSpecialties: required,
					minDistinctSpecialties: 3,
					countedSpecialties: null
				},
				area: p.kind === 'oncology' ? 'oncology_organ' : 'heart_failure',
				organ: p.organ,
				clinical_form: p.kind === 'oncology' ? 'oncology_organ' : 'heart_failure',
				created_at: since
			}
		};
	});
}

/**
 * @param {ReturnType<import('./random.js').createRandom>} rand
 * @param {ReturnType<typeof buildPathways>} pathways
 * @param {string} passwordHash
 * @param {Date} since
 */
export function buildPeople(rand, pathways, passwordHash, since) {
	const establishments = [];
	const kinds = ['hospital', 'hospital', 'clinic', 'health_centre', 'practice'];
	for (let i = 0; i < 40; i++) {
		const city = cities[i % cities.length];
		const kind = kinds[i % kinds.length];
		establishments.push({
			id: rand.uuid(),
			finess: `71${String(1000000 + i * 7919).slice(-7)}`,
			name: `${{ hospital: 'Centre hospitalier', clinic: 'Clinique', health_centre: 'Centre de santé', practice: 'Cabinet' }[kind]} de ${city} ${i + 1}`,
			city,
			kind,
			level: 'legal_entity',
			created_at: since
		});
	}
	const users = [];
	const memberships = [];
	let rppsSeq = 10_000_000;
	const person = (email, extra) => {
		const female = rand.chance(0.5);
		const row = {
			id: rand.uuid(),
			email,
			password_hash: passwordHash,
			title: extra.title ?? (female ? 'Mme' : 'M.'),
			first_name: rand.pick(female ? femaleNames : maleNames),
			last_name: rand.pick(lastNames),
			rpps: extra.doctor ? `1${String(rppsSeq++).padStart(10, '0')}` : null,
			specialty: extra.specialty ?? null,
			sector: extra.sector ?? 'establishment',
			establishment_id: extra.establishmentId ?? rand.pick(establishments).id,
			is_admin: extra.admin ?? false,
			created_at: since
		};
		users.push(row);
		return row;
	};
	const admin = person('admin@region.example.fr', { admin: true, establishmentId: null });
	const gps = [];
	for (let i = 0; i < 400; i++)
		gps.push(
			person(`mg${i + 1}@region.example.fr`, {
				doctor: true,
				title: 'Dr',
				specialty: 'general_practice',
				sector: 'gp',
				establishmentId: null
			})
		);
	const byPathway = new Map();
	for (const p of pathways) {
		const coordinators = [1, 2].map((n) =>
			person(`coordination${n === 1 ? '' : n}.${p.code}@region.example.fr`, {})
		);
		const chairs = [1, 2].map((n) =>
			person(`presidence${n === 1 ? '' : n}.${p.code}@region.example.fr`, {
				doctor: true,
				title: 'Dr',
				specialty: p.chair
			})
		);
		const members = [];
		for (let i = 0; i < 40; i++)
			members.push(
				person(`medecin${i + 1}.${p.code}@region.example.fr`, {
					doctor: true,
					title: rand.chance(0.15) ? 'Pr' : 'Dr',
					specialty: p.specialties[i % p.specialties.length],
					sector: rand.chance(0.25) ? 'private_practice' : 'establishment'
				})
			);
		for (const u of coordinators)
			memberships.push({ user_id: u.id, pathway_id: p.id, role: 'coordinator', created_at: since });
		for (const u of chairs)
			memberships.push({ user_id: u.id, pathway_id: p.id, role: 'chair', created_at: since });
		for (const u of [...chairs, ...members])
			memberships.push({ user_id: u.id, pathway_id: p.id, role: 'member', created_at: since });
		// GPs request cases in every pathway of their patients.
		for (const u of gps.slice(0, 200))
			memberships.push({ user_id: u.id, pathway_id: p.id, role: 'member', created_at: since });
		byPathway.set(p.id, {
			coordinators,
			chairs,
			members,
			requesters: [...members, ...gps.slice(0, 200)]
		});
	}
	const pathwayEstablishments = pathways.flatMap((p, i) =>
		[0, 1].map((k) => ({
			pathway_id: p.id,
			establishment_id: establishments[i * 2 + k].id,
			created_at: since
		}))
	);
	return { establishments, users, memberships, pathwayEstablishments, admin, gps, byPathway };
}

/** Europe/Paris offset in ms on a date (DST from the last Sunday of March to that of October). */
function parisOffset(date) {
	const y = date.getUTCFullYear();
	const lastSunday = (month) => {
		const d = new Date(Date.UTC(y, month + 1, 0));
		return Date.UTC(y, month, d.getUTCDate() - d.getUTCDay(), 1);
	};
	const t = date.getTime();
	return t >= lastSunday(2) && t < lastSunday(9) ? 2 * 3_600_000 : 3_600_000;
}

/**
 * Weekly series per RCP weekday from ten years ago to five weeks ahead; past meetings closed
 * with invitations answered and attendance, 1 % cancelled.
 * @param {ReturnType<import('./random.js').createRandom>} rand
 * @param {ReturnType<typeof buildPathways>} pathways
 * @param {ReturnType<typeof buildPeople>} people
 * @param {Date} since @param {Date} now @param {number} scale
 */
export function buildMeetings(rand, pathways, people, since, now, scale) {
	const series = [];
	const rows = [];
	const invitations = [];
	const attendance = [];
	/** Per pathway: its meetings in date order (not cancelled), for the cases. */
	const byPathway = new Map();
	const end = now.getTime() + 35 * DAY;
	// Below full scale, fewer years (the agenda of a meeting keeps its size).
	const start =
		now.getTime() - Math.max(0.05, Math.min(1, scale)) * (now.getTime() - since.getTime());
	for (const p of pathways) {
		const staff = people.byPathway.get(p.id);
		const list = [];
		for (const weekday of p.weekdays) {
			const s = {
				id: rand.uuid(),
				pathway_id: p.id,
				frequency: 'weekly',
				weekday,
				start_date: new Date(start).toISOString().slice(0, 10),
				local_start_time: '17:30',
				duration_minutes: 120,
				place: 'Salle de staff, bâtiment B',
				video_offered: true,
				chair_id: staff.chairs[0].id,
				created_by: staff.coordinators[0].id,
				created_at: new Date(start)
			};
			series.push(s);
			const first = new Date(start);
			first.setUTCDate(first.getUTCDate() + ((weekday - first.getUTCDay() + 7) % 7));
			for (let day = first.getTime(); day < end; day += 7 * DAY) {
				const local = new Date(day);
				const date = local.toISOString().slice(0, 10);
				const startsAt = new Date(
					Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 17, 30)
				);
				startsAt.setTime(startsAt.getTime() - parisOffset(startsAt));
				const past = startsAt.getTime() < now.getTime() - 3 * 3_600_000;
				const cancelled = rand.chance(0.01);
				const chair = rand.pick(staff.chairs);
				const m = {
					id: rand.uuid(),
					pathway_id: p.id,
					series_id: s.id,
					occurrence_date: date,
					starts_at: startsAt,
					ends_at: new Date(startsAt.getTime() + 120 * 60_000),
					status: cancelled ? 'cancelled' : past ? 'closed' : 'scheduled',
					cancel_reason: cancelled ? 'Congrès : séance annulée' : null,
					chair_id: chair.id,
					deadline_at: new Date(startsAt.getTime() - 48 * 3_600_000),
					place: s.place,
					video_offered: true,
					room_name: `pluri-${rand.hex(12)}`,
					opened_at: past && !cancelled ? startsAt : null,
					closed_at: past && !cancelled ? new Date(startsAt.getTime() + 110 * 60_000) : null,
					created_at: new Date(start)
				};
				rows.push(m);
				if (!cancelled)
					list.push({
						id: m.id,
						startsAt: m.starts_at.getTime(),
						deadline: m.deadline_at.getTime(),
						chairId: chair.id,
						past
					});
				const invited = [chair, ...staff.members.filter(() => rand.chance(0.25))];
				for (const u of invited) {
					const reply = past
						? rand.chance(0.85)
							? 'accepted'
							: 'declined'
						: rand.chance(0.5)
							? 'accepted'
							: 'pending';
					invitations.push({
						id: rand.uuid(),
						meeting_id: m.id,
						user_id: u.id,
						reply,
						replied_at: reply === 'pending' ? null : new Date(startsAt.getTime() - 5 * DAY),
						sent_at: new Date(startsAt.getTime() - 30 * DAY),
						created_by: staff.coordinators[0].id,
						created_at: new Date(startsAt.getTime() - 30 * DAY)
					});
					if (past && !cancelled && reply === 'accepted')
						attendance.push({
							id: rand.uuid(),
							meeting_id: m.id,
							user_id: u.id,
							identity: `user:${u.id}`,
							display_name: `${u.title} ${u.first_name} ${u.last_name}`,
							specialty: u.specialty,
							joined_at: startsAt,
							left_at: new Date(startsAt.getTime() + 100 * 60_000),
							source: 'webhook'
						});
				}
			}
		}
		list.sort((a, b) => a.startsAt - b.startsAt);
		byPathway.set(p.id, list);
	}
	return { series, rows, invitations, attendance, byPathway };
}
