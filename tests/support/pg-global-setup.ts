// One throw-away PostgreSQL cluster for the whole integration run on PostgreSQL; each test file
// then creates its own database in it (tests/integration/setup.ts).
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../scripts/postgres-cluster.js';

export default async function setup(project: TestProject): Promise<() => void> {
	const cluster = await startPostgresCluster();
	project.provide('pgClusterUrl', cluster.url);
	return () => cluster.stop();
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgClusterUrl: string;
	}
}
