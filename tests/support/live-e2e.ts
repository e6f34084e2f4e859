import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import {
	cases,
	documents,
	invitations,
	meetings,
	pathways,
	patients,
	users
} from '../../src/lib/server/db/schema';
import { generateToken, hashToken } from '../../src/lib/server/tokens';
import { openE2eDb } from './e2e-db';
import { demoEmail } from './e2e';
import { queryOne, type Db } from '../../src/lib/server/db/index';

/** What the e2e harness says about LiveKit (tests/support/e2e-server.js writes it). */
export function readLivekitInfo(): { url: string | null; reason?: string } {
	const file = join(tmpdir(), `pluri-e2e-${process.env.E2E_PORT ?? '4317'}`, 'livekit.json');
	if (!existsSync(file)) return { url: null, reason: 'le serveur de test n’a pas démarré LiveKit' };
	return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The running LiveKit server of the harness, for tests that are about video: `npm test` builds
 * it (Go is part of the toolchain), so its absence is a failure that says how to fix it, not a
 * skip.
 */
export function requireLivekit(): { url: string; apiKey: string; apiSecret: string } {
	const info = readLivekitInfo() as {
		url: string | null;
		reason?: string;
		apiKey?: string;
		apiSecret?: string;
	};
	if (info.url === null || !info.apiKey || !info.apiSecret)
		throw new Error(
			`Ce test vidéo a besoin du serveur LiveKit : ${info.reason ?? 'clés absentes'}`
		);
	return { url: info.url, apiKey: info.apiKey, apiSecret: info.apiSecret };
}

export interface LiveMeetingFixture {
	meetingId: string;
	caseIds: string[];
	patients: string[];
	guestToken: string;
	userIds: Record<string, string>;
	documents: { pdf: string; png: string };
}

// A one-page PDF and a small PNG, shown in the room.
const PDF = `%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 55>>stream
BT /F1 18 Tf 20 100 Td (Compte rendu de scanner) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF
`;
const PNG = makePng(64, 48, [29, 79, 145]);

/** A plain-colour PNG, built byte by byte so it is valid whatever decodes it. */
function makePng(width: number, height: number, [r, g, b]: number[]): Buffer {
	const chunk = (type: string, data: Buffer): Buffer => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const out = Buffer.alloc(12 + data.length);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc32(body), 8 + data.length);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
	const pixels = deflateSync(Buffer.concat(Array(height).fill(row)));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', pixels),
		chunk('IEND', Buffer.alloc(0))
	]);
}

const defaultUploadDir = (): string =>
	join(tmpdir(), `pluri-e2e-${process.env.E2E_PORT ?? '4317'}`, 'uploads');

function storeFile(bytes: Buffer, dir: string): { sha256: string; storedPath: string } {
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const storedPath = `${sha256.slice(0, 2)}/${sha256}`;
	mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true });
	writeFileSync(join(dir, storedPath), bytes);
	return { sha256, storedPath };
}

/**
 * A meeting of the digestive oncology pathway starting in a few minutes, of its own (no other
 * test uses it): chaired by Dr Rousseau, Dr Moreau and Dr Garnier invited, three cases, a PDF
 * and an image on the first, a GP invited by link for the second.
 */
export async function createLiveMeeting(
	target: { db: Db; uploadDir: string } = { db: openE2eDb(), uploadDir: defaultUploadDir() }
): Promise<LiveMeetingFixture> {
	const { db, uploadDir } = target;
	const pathway = (await queryOne(
		db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
	))!;
	const userIds: Record<string, string> = {};
	for (const key of ['h.rousseau', 'j.moreau', 'n.garnier', 'c.faure', 'coordination']) {
		userIds[key] = (await queryOne(
			db
				.select()
				.from(users)
				.where(eq(users.email, demoEmail(key)))
		))!.id;
	}
	const startsAt = new Date(Date.now() + 5 * 60_000);
	const meetingId = crypto.randomUUID();
	await db.insert(meetings).values({
		id: meetingId,
		pathwayId: pathway.id,
		startsAt,
		endsAt: new Date(startsAt.getTime() + 90 * 60_000),
		chairId: userIds['h.rousseau'],
		deadlineAt: new Date(startsAt.getTime() - 48 * 3_600_000),
		place: 'Salle de staff 2, CH de la Saône'
	});
	for (const key of ['j.moreau', 'n.garnier']) {
		await db.insert(invitations).values({ meetingId, userId: userIds[key], reply: 'accepted' });
	}
	const people = await db.select().from(patients).limit(3);
	const caseIds = await Promise.all(
		people.map(async (p, i) => {
			const id = crypto.randomUUID();
			await db.insert(cases).values({
				id,
				patientId: p.id,
				pathwayId: pathway.id,
				meetingId,
				requesterId: userIds['j.moreau']!,
				question: `Quelle prise en charge pour ce patient (dossier ${i + 1}) ?`,
				summary: `Résumé clinique du dossier ${i + 1}.`,
				status: 'scheduled',
				agendaPosition: i + 1,
				estimatedMinutes: 10
			});
			return id;
		})
	);
	const docIds: string[] = [];
	for (const [bytes, fileName, contentType, kind] of [
		[Buffer.from(PDF), 'compte-rendu-scanner.pdf', 'application/pdf', 'imaging'],
		[PNG, 'coupe-scanner.png', 'image/png', 'imaging']
	] as const) {
		const id = crypto.randomUUID();
		const stored = storeFile(bytes, uploadDir);
		await db.insert(documents).values({
			id,
			caseId: caseIds[0]!,
			kind,
			fileName,
			contentType,
			size: bytes.length,
			...stored,
			uploadedBy: userIds['j.moreau']
		});
		docIds.push(id);
	}
	const guestToken = generateToken();
	await db.insert(invitations).values({
		meetingId,
		caseId: caseIds[1],
		guestName: 'Dr Pierre Renaud',
		guestEmail: 'p.renaud@demo.mssante.fr',
		tokenHash: hashToken(guestToken),
		expiresAt: new Date(startsAt.getTime() + 30 * 86_400_000)
	});
	return {
		meetingId,
		caseIds,
		patients: people.map((p) => p.birthName),
		guestToken,
		userIds,
		documents: { pdf: docIds[0]!, png: docIds[1]! }
	};
}
