import { caseStatuses, caseStatusLabels, isCaseStatus } from '$lib/domain/case-status';
import { describeSearchQuery, parseSearchQuery, SEARCH_TEXT_MAX } from '$lib/domain/search-query';
import { requireUser } from '$lib/server/guard';
import { isSearchAsked, searchRecords, SEARCH_LIMIT } from '$lib/server/search';
import type { PageServerLoad } from './$types';

/**
 * GET /search?q=…&statut=… — works without JavaScript. The scope is the access policy's
 * (canViewCase, applied in SQL by searchRecords); the administrator is told the search is not
 * theirs (no patient data) and nothing is read.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, SEARCH_TEXT_MAX);
	const rawStatus = url.searchParams.get('statut') ?? '';
	const status = isCaseStatus(rawStatus) ? rawStatus : null;
	const values = { q, statut: status ?? '' };
	const statusOptions = caseStatuses.map((s) => ({ value: s, label: caseStatusLabels[s] }));
	const base = { values, statusOptions, limit: SEARCH_LIMIT };
	if (user.isAdmin || locals.actor.kind !== 'user') {
		return { ...base, adminOnly: true as const, error: null, asked: null, results: null };
	}
	const query = parseSearchQuery(q);
	if (query.kind === 'invalid') {
		return { ...base, adminOnly: false as const, error: query.message, asked: null, results: null };
	}
	const input = { query, status };
	if (!isSearchAsked(input)) {
		return { ...base, adminOnly: false as const, error: null, asked: null, results: null };
	}
	const results = await searchRecords(locals.actor, input, locals.audit);
	const asked = [
		describeSearchQuery(query),
		status ? `le statut « ${caseStatusLabels[status]} »` : ''
	]
		.filter(Boolean)
		.join(', ');
	return { ...base, adminOnly: false as const, error: null, asked, results };
};
