import { eq } from 'drizzle-orm';
import { computeInsKey, insOids } from '$lib/domain/ins';
import { defaultPathways } from '$lib/domain/pathways';
import type { Organ } from '$lib/domain/rcp-types';
import { hashPassword } from '../auth/password';
import { recordAudit, systemAudit } from '../audit';
import { createSeries } from '../meetings';
import { getDb, queryOne, transaction } from '../db';
import type { SeedContext } from './context';
import { seedDemoCases } from './cases';
import { seedDemoDecisions } from './decisions';
import { seedDemoInvitations } from './invitations';
import {
	establishments,
	memberships,
	pathwayEstablishments,
	patients,
	pathways,
	settings,
	users
} from '../db/schema';

export const DEMO_PASSWORD = 'Demo-Pluri-2026';

export interface SeedReport {
	created: boolean;
	password: string;
	accounts: { role: string; email: string }[];
}

type Sector = (typeof users.$inferInsert)['sector'];
type Role = 'coordinator' | 'chair' | 'member';

interface DemoUser {
	key: string;
	title: 'Dr' | 'Pr' | 'M.' | 'Mme' | null;
	firstName: string;
	lastName: string;
	specialty: string | null;
	sector: Sector;
	establishment: 'hospital' | 'clinic' | 'msp' | null;
	role: string;
	rpps: string | null;
	isAdmin?: boolean;
	pathways?: [string, Role][];
}

const ONCO = ['onco-digestive', 'onco-thoracic', 'onco-breast'];
const all = (codes: string[], role: Role): [string, Role][] => codes.map((c) => [c, role]);

/** Fictional doctors of a Chalon-sur-Saône network; RPPS numbers are fictitious (prefix 10099). */
const demoUsers: DemoUser[] = [
	{
		key: 'admin',
		title: null,
		firstName: 'Alex',
		lastName: 'Administrateur',
		specialty: null,
		sector: 'other',
		establishment: 'hospital',
		role: 'Administrateur',
		rpps: null,
		isAdmin: true
	},
	{
		key: 'coordination',
		title: 'Mme',
		firstName: 'Claire',
		lastName: 'Bernard',
		specialty: null,
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Secrétaire de coordination (oncologie)',
		rpps: null,
		pathways: all(ONCO, 'coordinator')
	},
	{
		key: 'coordination.ic',
		title: 'Mme',
		firstName: 'Sophie',
		lastName: 'Lambert',
		specialty: null,
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Secrétaire de coordination (IC)',
		rpps: null,
		pathways: [['heart-failure', 'coordinator']]
	},
	{
		key: 'h.rousseau',
		title: 'Dr',
		firstName: 'Hélène',
		lastName: 'Rousseau',
		specialty: 'medical_oncology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Oncologue médicale, présidente',
		rpps: '10099000019',
		pathways: [
			['onco-digestive', 'chair'],
			['onco-breast', 'chair'],
			['onco-thoracic', 'member']
		]
	},
	{
		key: 'c.faure',
		title: 'Dr',
		firstName: 'Camille',
		lastName: 'Faure',
		specialty: 'medical_oncology',
		sector: 'private_practice',
		establishment: 'clinic',
		role: 'Oncologue médical libéral, président',
		rpps: '10099000027',
		pathways: [
			['onco-thoracic', 'chair'],
			['onco-digestive', 'member']
		]
	},
	{
		key: 'j.moreau',
		title: 'Dr',
		firstName: 'Julien',
		lastName: 'Moreau',
		specialty: 'visceral_surgery',
		sector: 'private_practice',
		establishment: 'clinic',
		role: 'Chirurgien viscéral',
		rpps: '10099000035',
		pathways: [['onco-digestive', 'member']]
	},
	{
		key: 'a.lefevre',
		title: 'Dr',
		firstName: 'Anne',
		lastName: 'Lefèvre',
		specialty: 'thoracic_surgery',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Chirurgienne thoracique',
		rpps: '10099000043',
		pathways: [['onco-thoracic', 'member']]
	},
	{
		key: 'i.petit',
		title: 'Dr',
		firstName: 'Isabelle',
		lastName: 'Petit',
		specialty: 'gynaecological_surgery',
		sector: 'private_practice',
		establishment: 'clinic',
		role: 'Chirurgienne gynécologique et sénologique',
		rpps: '10099000050',
		pathways: [['onco-breast', 'member']]
	},
	{
		key: 'n.garnier',
		title: 'Dr',
		firstName: 'Nicolas',
		lastName: 'Garnier',
		specialty: 'radiation_oncology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Oncologue radiothérapeute',
		rpps: '10099000068',
		pathways: all(ONCO, 'member')
	},
	{
		key: 't.chevalier',
		title: 'Dr',
		firstName: 'Thomas',
		lastName: 'Chevalier',
		specialty: 'radiology',
		sector: 'private_practice',
		establishment: 'clinic',
		role: 'Radiologue',
		rpps: '10099000076',
		pathways: all(ONCO, 'member')
	},
	{
		key: 'e.blanc',
		title: 'Dr',
		firstName: 'Émilie',
		lastName: 'Blanc',
		specialty: 'pathology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Pathologiste',
		rpps: '10099000084',
		pathways: all(ONCO, 'member')
	},
	{
		key: 'l.mercier',
		title: 'Dr',
		firstName: 'Louis',
		lastName: 'Mercier',
		specialty: 'gastroenterology',
		sector: 'private_practice',
		establishment: null,
		role: 'Gastro-entérologue libéral',
		rpps: '10099000092',
		pathways: [['onco-digestive', 'member']]
	},
	{
		key: 's.roux',
		title: 'Dr',
		firstName: 'Sarah',
		lastName: 'Roux',
		specialty: 'pulmonology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Pneumologue',
		rpps: '10099000100',
		pathways: [['onco-thoracic', 'member']]
	},
	{
		key: 'p.fontaine',
		title: 'Pr',
		firstName: 'Paul',
		lastName: 'Fontaine',
		specialty: 'hf_cardiology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Cardiologue IC, président',
		rpps: '10099000118',
		pathways: [['heart-failure', 'chair']]
	},
	{
		key: 'e.dumas',
		title: 'Dr',
		firstName: 'Élise',
		lastName: 'Dumas',
		specialty: 'cardiology',
		sector: 'private_practice',
		establishment: null,
		role: 'Cardiologue libérale',
		rpps: '10099000126',
		pathways: [['heart-failure', 'member']]
	},
	{
		key: 'h.bonnet',
		title: 'Dr',
		firstName: 'Hugo',
		lastName: 'Bonnet',
		specialty: 'electrophysiology',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Rythmologue',
		rpps: '10099000134',
		pathways: [['heart-failure', 'member']]
	},
	{
		key: 'm.gauthier',
		title: 'Dr',
		firstName: 'Marie',
		lastName: 'Gauthier',
		specialty: 'geriatrics',
		sector: 'establishment',
		establishment: 'hospital',
		role: 'Gériatre',
		rpps: '10099000142',
		pathways: [['heart-failure', 'member']]
	},
	{
		key: 'p.renaud',
		title: 'Dr',
		firstName: 'Pierre',
		lastName: 'Renaud',
		specialty: 'general_practice',
		sector: 'gp',
		establishment: 'msp',
		role: 'Médecin généraliste (MSP)',
		rpps: '10099000159'
	},
	{
		key: 'c.vincent',
		title: 'Dr',
		firstName: 'Chloé',
		lastName: 'Vincent',
		specialty: 'general_practice',
		sector: 'gp',
		establishment: 'msp',
		role: 'Médecin généraliste (MSP)',
		rpps: '10099000167'
	}
];

export function demoEmail(key: string): string {
	return `${key}@demo.pluri.fr`;
}

interface DemoPatient {
	sex: 'F' | 'M';
	birthName: string;
	firstNames: string[];
	birthDate: string;
	birthplace: string;
	order: string;
	status: 'provisional' | 'retrieved' | 'validated' | 'qualified';
}

const demoPatients: DemoPatient[] = [
	{
		sex: 'M',
		birthName: 'DURAND',
		firstNames: ['Jean', 'Michel'],
		birthDate: '1954-03-12',
		birthplace: '71076',
		order: '101',
		status: 'qualified'
	},
	{
		sex: 'F',
		birthName: 'MARTIN',
		firstNames: ['Monique'],
		birthDate: '1949-11-02',
		birthplace: '71076',
		order: '102',
		status: 'qualified'
	},
	{
		sex: 'M',
		birthName: 'PERRIN',
		firstNames: ['Gérard', 'Louis'],
		birthDate: '1961-06-25',
		birthplace: '71270',
		order: '103',
		status: 'validated'
	},
	{
		sex: 'F',
		birthName: 'GIRAUD',
		firstNames: ['Nathalie'],
		birthDate: '1968-01-30',
		birthplace: '21231',
		order: '104',
		status: 'qualified'
	},
	{
		sex: 'M',
		birthName: 'BRUNET',
		firstNames: ['Robert'],
		birthDate: '1946-09-08',
		birthplace: '71076',
		order: '105',
		status: 'qualified'
	},
	{
		sex: 'F',
		birthName: 'LEMAIRE',
		firstNames: ['Sylvie', 'Anne'],
		birthDate: '1972-04-17',
		birthplace: '69123',
		order: '106',
		status: 'retrieved'
	},
	{
		sex: 'M',
		birthName: 'CARON',
		firstNames: ['André'],
		birthDate: '1939-12-21',
		birthplace: '71076',
		order: '107',
		status: 'qualified'
	},
	{
		sex: 'F',
		birthName: 'ROY',
		firstNames: ['Josiane'],
		birthDate: '1951-07-05',
		birthplace: '71153',
		order: '108',
		status: 'qualified'
	},
	{
		sex: 'M',
		birthName: 'COLIN',
		firstNames: ['Bernard'],
		birthDate: '1957-02-14',
		birthplace: '71076',
		order: '109',
		status: 'provisional'
	},
	{
		sex: 'F',
		birthName: 'ARNAUD',
		firstNames: ['Christiane'],
		birthDate: '1944-05-29',
		birthplace: '71076',
		order: '110',
		status: 'qualified'
	},
	{
		sex: 'M',
		birthName: 'PICARD',
		firstNames: ['Daniel'],
		birthDate: '1963-10-03',
		birthplace: '71076',
		order: '111',
		status: 'qualified'
	},
	{
		sex: 'F',
		birthName: 'ROGER',
		firstNames: ['Brigitte'],
		birthDate: '1958-08-19',
		birthplace: '71076',
		order: '112',
		status: 'validated'
	}
];

/** A test NIR built from the traits, so INS and traits agree. */
export function buildDemoIns(p: DemoPatient): string {
	const first13 = `${p.sex === 'M' ? 1 : 2}${p.birthDate.slice(2, 4)}${p.birthDate.slice(5, 7)}${p.birthplace}${p.order}`;
	return `${first13}${computeInsKey(first13)}`;
}

/** Creates the demo network once; later starts find the marker and do nothing. */
export async function seedDemoNetwork(): Promise<SeedReport> {
	const db = getDb();
	const accounts = demoUsers.map((u) => ({ role: u.role, email: demoEmail(u.key) }));
	const already = await queryOne(db.select().from(settings).where(eq(settings.key, 'demo_seeded')));
	if (already) return { created: false, password: DEMO_PASSWORD, accounts };

	const passwordHash = await hashPassword(DEMO_PASSWORD);
	await transaction(db, async (tx) => {
		const est = {
			hospital: crypto.randomUUID(),
			clinic: crypto.randomUUID(),
			msp: crypto.randomUUID()
		};
		await tx.insert(establishments).values([
			{
				id: est.hospital,
				finess: '710099904',
				name: 'Centre hospitalier de la Saône (fictif)',
				city: 'Chalon-sur-Saône',
				kind: 'hospital'
			},
			{
				id: est.clinic,
				finess: '710099912',
				name: 'Clinique du Val de Saône (fictive)',
				city: 'Chalon-sur-Saône',
				kind: 'clinic'
			},
			{
				id: est.msp,
				finess: '710099920',
				name: 'Maison de santé des Prés-Devant (fictive)',
				city: 'Chalon-sur-Saône',
				kind: 'health_centre'
			}
		]);

		const pathwayIds = new Map<string, string>();
		for (const p of defaultPathways) {
			const id = crypto.randomUUID();
			pathwayIds.set(p.code, id);
			await tx.insert(pathways).values({
				id,
				code: p.code,
				name: p.name,
				kind: p.kind,
				quorumRule: p.quorumRule,
				submissionDeadlineHours: p.submissionDeadlineHours,
				freshnessDays: p.freshnessDays,
				area: p.kind === 'heart_failure' ? 'heart_failure' : 'oncology_organ',
				clinicalForm: p.kind === 'heart_failure' ? 'heart_failure' : 'oncology_organ',
				organ: p.organ as Organ | null
			});
			await tx
				.insert(pathwayEstablishments)
				.values({ pathwayId: id, establishmentId: est.hospital });
		}

		const userIds = new Map<string, string>();
		for (const u of demoUsers) {
			const id = crypto.randomUUID();
			userIds.set(u.key, id);
			await tx.insert(users).values({
				id,
				email: demoEmail(u.key),
				passwordHash,
				title: u.title,
				firstName: u.firstName,
				lastName: u.lastName,
				rpps: u.rpps,
				specialty: u.specialty,
				sector: u.sector,
				establishmentId: u.establishment ? est[u.establishment] : null,
				mssanteAddress: u.rpps ? `${u.key}@demo.mssante.fr` : null,
				isAdmin: u.isAdmin ?? false
			});
			for (const [code, role] of u.pathways ?? []) {
				await tx.insert(memberships).values({ userId: id, pathwayId: pathwayIds.get(code)!, role });
			}
		}

		const patientIds: string[] = [];
		for (const p of demoPatients) {
			const patientId = crypto.randomUUID();
			patientIds.push(patientId);
			await tx.insert(patients).values({
				id: patientId,
				insMatricule: buildDemoIns(p),
				insOid: insOids.test,
				birthName: p.birthName,
				firstNames: p.firstNames,
				sex: p.sex,
				birthDate: p.birthDate,
				birthplaceCode: p.birthplace,
				identityStatus: p.status
			});
		}

		const series: {
			code: string;
			chair: string;
			frequency: 'weekly' | 'biweekly' | 'monthly';
			weekday: number;
			nthWeek: number | null;
			time: string;
			duration: number;
			place: string;
		}[] = [
			{
				code: 'onco-digestive',
				chair: 'h.rousseau',
				frequency: 'weekly',
				weekday: 2,
				nthWeek: null,
				time: '17:30',
				duration: 90,
				place: 'Salle de staff 2, CH de la Saône'
			},
			{
				code: 'onco-thoracic',
				chair: 'c.faure',
				frequency: 'weekly',
				weekday: 4,
				nthWeek: null,
				time: '12:30',
				duration: 60,
				place: 'Salle Niépce, CH de la Saône'
			},
			{
				code: 'onco-breast',
				chair: 'h.rousseau',
				frequency: 'biweekly',
				weekday: 1,
				nthWeek: null,
				time: '18:00',
				duration: 90,
				place: 'Salle de réunion, Clinique du Val de Saône'
			},
			{
				code: 'heart-failure',
				chair: 'p.fontaine',
				frequency: 'monthly',
				weekday: 3,
				nthWeek: 1,
				time: '13:00',
				duration: 90,
				place: 'Salle de cardiologie, CH de la Saône'
			}
		];
		const today = new Date();
		const start = new Date(today.getTime() - 21 * 86_400_000).toISOString().slice(0, 10);
		for (const s of series) {
			await createSeries(
				{
					pathwayId: pathwayIds.get(s.code)!,
					frequency: s.frequency,
					weekday: s.weekday,
					nthWeek: s.nthWeek,
					startDate: start,
					localStartTime: s.time,
					durationMinutes: s.duration,
					place: s.place,
					videoOffered: true,
					chairId: userIds.get(s.chair)!,
					untilDate: null,
					count: null
				},
				systemAudit,
				tx
			);
		}
		const context: SeedContext = { tx, pathwayIds, userIds, patientIds, establishmentIds: est };
		await seedDemoInvitations(context);
		await seedDemoCases(context);
		await seedDemoDecisions(context);
		await tx.insert(settings).values({ key: 'demo_seeded', value: new Date().toISOString() });
		await recordAudit(systemAudit, { action: 'demo.seed' }, tx);
	});
	return { created: true, password: DEMO_PASSWORD, accounts };
}
