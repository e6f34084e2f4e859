// Detects any write the server makes while it answers a request: triggers on every table of
// the app append to a log table that only the matrix reads. Tables that change on every request
// by design (sessions, the audit trail itself, login counters, settings) are left out.
import { getDb, getSqliteClient } from '../../src/lib/server/db';

const untracked =
	/^(session|audit_event|setting|webhook_event|__drizzle_migrations|zz_matrix_change)$|login|throttle|sqlite_/;

export async function installChangeLog(): Promise<void> {
	const sqlite = getSqliteClient(getDb());
	sqlite.exec('CREATE TABLE IF NOT EXISTS zz_matrix_change (id INTEGER PRIMARY KEY, tbl TEXT)');
	const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
		name: string;
	}[];
	for (const { name } of tables) {
		if (untracked.test(name)) continue;
		for (const op of ['INSERT', 'UPDATE', 'DELETE'])
			sqlite.exec(
				`CREATE TRIGGER IF NOT EXISTS zz_matrix_${name}_${op.toLowerCase()} AFTER ${op} ON "${name}" ` +
					`BEGIN INSERT INTO zz_matrix_change (tbl) VALUES ('${name}'); END`
			);
	}
}

export async function readChangeCount(): Promise<number> {
	return (
		getSqliteClient(getDb()).prepare('SELECT count(*) AS n FROM zz_matrix_change').get() as {
			n: number;
		}
	).n;
}

/**
 * The audit rows written after this call, read when `next()` is called: those of one actor (other
 * clients' open event streams may write rows of their own meanwhile), and all of them (a link's
 * refusal is recorded under the link, not the session).
 */
export async function readAuditSince(actorId: string | null): Promise<{
	next: () => { mine: string[]; all: string[] };
}> {
	const sqlite = getSqliteClient(getDb());
	const from = (
		sqlite.prepare('SELECT coalesce(max(seq), 0) AS s FROM audit_event').get() as {
			s: number;
		}
	).s;
	return {
		next: () => {
			const rows = sqlite
				.prepare('SELECT action, actor_type, actor_id FROM audit_event WHERE seq > ? ORDER BY seq')
				.all(from) as { action: string; actor_type: string; actor_id: string | null }[];
			const mine = rows.filter((r) =>
				actorId ? r.actor_id === actorId : r.actor_type === 'anonymous' || r.actor_type === 'guest'
			);
			return { mine: mine.map((r) => r.action), all: rows.map((r) => r.action) };
		}
	};
}
