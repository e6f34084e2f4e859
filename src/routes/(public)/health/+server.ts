import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import type { RequestHandler } from './$types';

/** The probe for load balancers and monitoring (JSON; the page is for people): 503 when not ok. */
export const GET: RequestHandler = async () => {
	const report = await checkHealth();
	return json(report, {
		status: report.ok ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
