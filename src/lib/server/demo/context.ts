import type { Tx } from '../db';

/** What the base demo seed created, for the seeds of each capability to build on. */
export interface SeedContext {
	tx: Tx;
	/** pathway code → id */
	pathwayIds: Map<string, string>;
	/** demo user key (e.g. 'h.rousseau', 'coordination') → id */
	userIds: Map<string, string>;
	/** ids of the synthetic patients, in the order of the demo patient list */
	patientIds: string[];
	establishmentIds: { hospital: string; clinic: string; msp: string };
}
