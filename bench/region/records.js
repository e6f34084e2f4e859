// Patients, cases and everything a case leaves behind (events, documents, opinions, decisions,
// deliveries, mails), then the keyed audit chain (bench/region/generate.js).
import { createHmac } from 'node:crypto';
import {
	decisionTexts,
	documentKinds,
	femaleNames,
	lastNames,
	maleNames,
	questions
} from './words.js';

const DAY = 86_400_000;
const GENESIS_HASH = '0'.repeat(64);

/** Cases per patient: most have 1–3, a tail up to 8 (mean ≈ 3). */
const CASES_PER_PATIENT = [0, 30, 25, 20, 9, 7, 5, 2, 2];

/** First meeting of the list whose deadline is at or after `t` (binary search), or null. */
function meetingAfter(list, t) {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (list[mid].deadline < t) lo = mid + 1;
		else hi = mid;
	}
	return list[lo] ?? null;
}

/**
 * @param {{ rand: ReturnType<import('./random.js').createRandom>, writer: any, pathways: any[],
 *   people: any, meetings: any, now: Date, scale: number, log: (s: string) => void }} o
 */
export function writeCases({ rand, writer, pathways, people, meetings, now, scale, log }) {
	const targetCases = Math.round(300_000 * scale);
	const patientCount = Math.round(100_000 * scale);
	const positions = new Map();
	const shares = pathways.map((p) => p.share);
	const nowMs = now.getTime();
	let caseCount = 0;
	const patients = [];
	const cases = [];
	const events = [];
	const documents = [];
	const opinions = [];
	const decisions = [];
	const outbox = [];
	const mails = [];
	const flush = () => {
		writer.insert('patient', patients.splice(0));
		writer.insert('rcp_case', cases.splice(0));
		writer.insert('case_event', events.splice(0));
		writer.insert('document', documents.splice(0));
		writer.insert('written_opinion', opinions.splice(0));
		writer.insert('decision', decisions.splice(0));
		writer.insert('outbox', outbox.splice(0));
		writer.insert('mail_message', mails.splice(0));
	};
	// At least `patientCount` patients, and as many more as the target number of cases needs.
	for (let i = 0; i < patientCount || caseCount < targetCases; i++) {
		const female = rand.chance(0.5);
		const birth = new Date(Date.UTC(rand.int(1930, 1990), rand.int(0, 11), rand.int(1, 28)));
		const patient = {
			id: rand.uuid(),
			ins_matricule: `${female ? 2 : 1}${String(birth.getUTCFullYear()).slice(2)}${String(birth.getUTCMonth() + 1).padStart(2, '0')}71${String(i).padStart(8, '0')}`,
			ins_oid: '1.2.250.1.213.1.4.8',
			birth_name: rand.pick(lastNames).toUpperCase(),
			first_names: [rand.pick(female ? femaleNames : maleNames)],
			sex: female ? 'F' : 'M',
			birth_date: birth.toISOString().slice(0, 10),
			birthplace_code: '71076',
			identity_status: rand.chance(0.8) ? 'qualified' : 'provisional',
			created_at: new Date(nowMs - 10 * 365 * DAY)
		};
		patients.push(patient);
		const pathway = pathways[rand.weighted(shares)];
		const staff = people.byPathway.get(pathway.id);
		const list = meetings.byPathway.get(pathway.id);
		const n = rand.weighted(CASES_PER_PATIENT);
		// The first case early enough for the patient's later ones to fit before today.
		const span = nowMs + 30 * DAY - list[0].deadline - (n - 1) * 75 * DAY;
		let t = list[0].deadline + rand.next() * Math.max(span, 30 * DAY);
		for (let k = 0; k < n; k++) {
			const meeting = meetingAfter(list, t);
			if (!meeting) break;
			writeCase({
				rand,
				pathway,
				staff,
				patient,
				meeting,
				t,
				nowMs,
				people,
				positions,
				cases,
				events,
				documents,
				opinions,
				decisions,
				outbox,
				mails
			});
			caseCount += 1;
			t = meeting.startsAt + rand.int(14, 120) * DAY;
		}
		if (cases.length >= 20_000) {
			flush();
			if (caseCount % 60_000 < 20_000) log(`dossiers : ${caseCount}`);
		}
	}
	flush();
	log(`dossiers : ${caseCount}`);
}

function writeCase(o) {
	const {
		rand,
		pathway,
		staff,
		patient,
		meeting,
		t,
		positions,
		cases,
		events,
		documents,
		opinions,
		decisions,
		outbox,
		mails
	} = o;
	const requester = rand.pick(staff.requesters);
	const gp = rand.pick(o.people.gps);
	const past = meeting.past;
	const status = past
		? rand.chance(0.96)
			? 'delivered'
			: rand.chance(0.5)
				? 'refused'
				: 'withdrawn'
		: rand.chance(0.8)
			? 'scheduled'
			: rand.chance(0.7)
				? 'submitted'
				: 'draft';
	const onAgenda = status === 'delivered' || status === 'scheduled';
	const position = onAgenda ? (positions.get(meeting.id) ?? 0) + 1 : null;
	if (position) positions.set(meeting.id, position);
	const submittedAt = new Date(Math.min(t, meeting.deadline - 3_600_000));
	const id = rand.uuid();
	cases.push({
		id,
		patient_id: patient.id,
		pathway_id: pathway.id,
		meeting_id: status === 'draft' || status === 'refused' ? null : meeting.id,
		requester_id: requester.id,
		referring_name: `${requester.title} ${requester.first_name} ${requester.last_name}`,
		referring_rpps: requester.rpps,
		referring_email: requester.email,
		gp_name: `Dr ${gp.first_name} ${gp.last_name}`,
		gp_rpps: gp.rpps,
		gp_email: gp.email,
		question: rand.pick(questions),
		summary: 'Patient(e) adressé(e) pour avis ; antécédents et examens joints au dossier.',
		pathway_data:
			pathway.kind === 'oncology'
				? {
						organ: pathway.organ,
						cT: rand.pick(['T1', 'T2', 'T3', 'T4']),
						cN: rand.pick(['N0', 'N1', 'N2']),
						cM: 'M0'
					}
				: { lvef: rand.int(15, 45), nyha: rand.pick(['II', 'III', 'IV']) },
		status,
		refusal_reason: status === 'refused' ? 'Hors du champ de cette RCP' : null,
		agenda_position: position,
		estimated_minutes: onAgenda ? 10 : null,
		presenter_id: onAgenda ? requester.id : null,
		submitted_at: status === 'draft' ? null : submittedAt,
		created_at: new Date(submittedAt.getTime() - DAY),
		updated_at: submittedAt
	});
	events.push({
		id: rand.uuid(),
		case_id: id,
		at: submittedAt,
		actor_id: requester.id,
		kind: 'submitted',
		from_status: 'draft',
		to_status: 'submitted',
		meeting_id: meeting.id
	});
	if (onAgenda)
		events.push({
			id: rand.uuid(),
			case_id: id,
			at: new Date(submittedAt.getTime() + 3_600_000),
			actor_id: staff.coordinators[0].id,
			kind: 'scheduled',
			from_status: 'submitted',
			to_status: 'scheduled',
			meeting_id: meeting.id
		});
	for (let d = rand.int(0, 4); d > 0; d--) {
		const docId = rand.uuid();
		documents.push({
			id: docId,
			case_id: id,
			kind: rand.pick(documentKinds),
			file_name: `compte-rendu-${d}.pdf`,
			content_type: 'application/pdf',
			size: rand.int(40_000, 4_000_000),
			sha256: rand.hex(64),
			stored_path: `bench/${docId}`,
			document_date: new Date(submittedAt.getTime() - rand.int(1, 60) * DAY)
				.toISOString()
				.slice(0, 10),
			uploaded_by: requester.id,
			uploaded_at: submittedAt
		});
	}
	if (rand.chance(0.03))
		opinions.push({
			id: rand.uuid(),
			case_id: id,
			author_id: rand.pick(staff.members).id,
			specialty: 'radiation_oncology',
			text: 'Avis écrit : pas d’indication de radiothérapie à ce stade.',
			created_at: submittedAt
		});
	if (status !== 'delivered') return;
	const validatedAt = new Date(meeting.startsAt + position * 2 * 60_000);
	const snapshot = staff.members.slice(0, rand.int(3, 8)).map((m) => ({
		name: `${m.title} ${m.first_name} ${m.last_name}`,
		specialty: m.specialty,
		sector: m.sector,
		rpps: m.rpps,
		source: 'webhook'
	}));
	const amended = rand.chance(0.02);
	const base = {
		case_id: id,
		meeting_id: meeting.id,
		proposal_types: ['treatment'],
		conformity: 'conform',
		quorum_reached: true,
		missing_specialties: [],
		attendees_snapshot: snapshot,
		validated_by: meeting.chairId,
		created_at: validatedAt,
		draft_revision: 3
	};
	const v1 = rand.uuid();
	decisions.push({
		...base,
		id: v1,
		version: 1,
		status: amended ? 'superseded' : 'validated',
		text: rand.pick(decisionTexts),
		validated_at: validatedAt,
		updated_at: validatedAt
	});
	let finalId = v1;
	if (amended) {
		finalId = rand.uuid();
		const at = new Date(validatedAt.getTime() + 2 * DAY);
		decisions.push({
			...base,
			id: finalId,
			version: 2,
			status: 'validated',
			text: rand.pick(decisionTexts),
			validated_at: at,
			amends_id: v1,
			amend_reason: 'Correction de la posologie',
			created_at: at,
			updated_at: at
		});
	}
	const recipients = [
		['fhir', 'fhir'],
		['mail', requester.email]
	];
	if (rand.chance(0.5) && gp.email !== requester.email) recipients.push(['mail', gp.email]);
	for (const [channel, recipient] of recipients) {
		const ok = rand.chance(0.995);
		outbox.push({
			id: rand.uuid(),
			decision_id: finalId,
			channel,
			recipient,
			idempotency_key: `${finalId}:${channel}:${recipient}`,
			status: ok ? 'delivered' : 'failed',
			attempts: ok ? 1 : 8,
			next_attempt_at: validatedAt,
			last_error: ok ? null : 'Serveur injoignable',
			remote_id: channel === 'fhir' ? `DocumentReference/${rand.hex(16)}` : null,
			delivered_at: ok ? new Date(validatedAt.getTime() + 4000) : null,
			created_at: validatedAt
		});
	}
	mails.push({
		id: rand.uuid(),
		to: requester.email,
		recipient_user_id: requester.id,
		subject: `Décision de RCP — ${patient.birth_name}`,
		text: 'La décision de la réunion de concertation est jointe (fiche RCP).',
		attachments: [
			{ filename: 'fiche-rcp.pdf', contentType: 'application/pdf', content: '', size: 48_000 }
		],
		headers: {},
		kind: 'decision',
		message_id: `<${finalId}@region.example.fr>`,
		status: 'sent',
		created_at: validatedAt,
		sent_at: new Date(validatedAt.getTime() + 4000)
	});
}

/** Actions of the trail and their weights, from what people do most (read cases). */
const AUDIT_ACTIONS = [
	['case.read', 30],
	['case.list', 14],
	['patient.read', 10],
	['login.success', 8],
	['decision.read', 7],
	['document.download', 7],
	['live.case.view', 6],
	['delivery.delivered', 5],
	['decision.draft', 4],
	['decision.validate', 2],
	['case.submit', 2],
	['case.schedule', 2],
	['patient.search', 1],
	['access.denied', 1],
	['login.failure', 1]
];

/**
 * 2M rows (× scale) in time order with the keyed chain of src/lib/domain/audit-chain.ts, and the
 * signed marker « keyed from row 1 » the app writes with its first row.
 */
export function writeAudit({ rand, writer, people, since, now, scale, secret, log }) {
	const total = Math.round(2_000_000 * scale);
	const key = createHmac('sha256', secret).update('pluri-audit-chain').digest();
	const weights = AUDIT_ACTIONS.map(([, w]) => w);
	const actors = people.users;
	const start = since.getTime();
	const step = (now.getTime() - start) / total;
	let prevHash = GENESIS_HASH;
	function* rows() {
		for (let seq = 1; seq <= total; seq++) {
			const action = AUDIT_ACTIONS[rand.weighted(weights)][0];
			const actor = rand.pick(actors);
			const f = {
				at: new Date(Math.round(start + seq * step)),
				actorType: action === 'login.failure' || action === 'access.denied' ? 'anonymous' : 'user',
				actorId: action === 'login.failure' || action === 'access.denied' ? null : actor.id,
				action,
				objectType:
					action.startsWith('case') || action.startsWith('live')
						? 'case'
						: action.startsWith('decision')
							? 'decision'
							: null,
				objectId: action.startsWith('login') ? null : rand.uuid(),
				patientId: action.startsWith('login') || action === 'access.denied' ? null : rand.uuid(),
				ip: `10.${rand.int(0, 255)}.${rand.int(0, 255)}.${rand.int(1, 254)}`,
				detail: null
			};
			const canonical = JSON.stringify([
				prevHash,
				f.at.getTime(),
				f.actorType,
				f.actorId,
				f.action,
				f.objectType,
				f.objectId,
				f.patientId,
				f.ip,
				f.detail
			]);
			const hash = createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
			yield {
				seq,
				at: f.at,
				actor_type: f.actorType,
				actor_id: f.actorId,
				action,
				object_type: f.objectType,
				object_id: f.objectId,
				patient_id: f.patientId,
				ip: f.ip,
				detail: null,
				prev_hash: prevHash,
				hash
			};
			prevHash = hash;
			if (seq % 500_000 === 0) log(`journal d’audit : ${seq}`);
		}
	}
	writer.insert('audit_event', rows());
	const mac = createHmac('sha256', key).update('audit-chain-keyed-from\n1', 'utf8').digest('hex');
	writer.insert('setting', [{ key: 'audit_chain_keyed_from', value: `1.${mac}` }]);
}
