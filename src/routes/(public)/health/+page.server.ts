import { checkHealth } from '$lib/server/health';
import type { PageServerLoad } from './$types';

/** The same report as the JSON probe, for a person (counts only, no patient data). */
export const load: PageServerLoad = async () => ({ report: await checkHealth() });
