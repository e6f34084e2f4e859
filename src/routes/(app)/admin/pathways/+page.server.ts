import { listPathways } from '$lib/server/pathways';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ pathways: listPathways() });
