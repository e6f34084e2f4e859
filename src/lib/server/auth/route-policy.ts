/**
 * Who may reach each server entry point, keyed by SvelteKit route id. `hooks.server.ts`
 * enforces the gate before any `load`, form action, endpoint or `__data.json` runs, so no page
 * relies on a parent layout for protection. A route missing here is refused (deny by default),
 * and `route-policy.test.ts` fails on any entry point of the route tree without a policy.
 *
 * The gate is the coarse part (who may knock). The object-level rule (`check`, named after the
 * function of `access.ts` the handler calls on the meeting, case, decision…) stays in the handler,
 * where the object is loaded; the authorization matrix (tests/e2e/access-matrix.test.ts) proves
 * each handler applies it.
 */
export type Gate =
	/** Anyone, logged in or not: login, health. `why` says why it is open. */
	| 'public'
	/** Anyone holding a link the handler verifies: guest token, signed reply, feed secret, webhook signature. */
	| 'link'
	/** A logged-in account; the handler checks the object. */
	| 'user'
	/** An administrator of the instance (never patient data). */
	| 'admin';

export interface EntryPolicy {
	gate: Gate;
	/** The object-level rule the handler applies (an `access.ts` function or a link check). */
	check?: string;
	/** For public and link entries: why it is open. */
	why?: string;
}

export interface RoutePolicy {
	layoutLoad?: EntryPolicy;
	load?: EntryPolicy;
	actions?: Record<string, EntryPolicy>;
	methods?: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', EntryPolicy>>;
}

const open = (why: string): EntryPolicy => ({ gate: 'public', why });
const link = (check: string, why: string): EntryPolicy => ({ gate: 'link', check, why });
const user = (check?: string): EntryPolicy => ({ gate: 'user', check });
const admin: EntryPolicy = { gate: 'admin' };

export const routePolicies: Record<string, RoutePolicy> = {
	// ---------- public ----------
	'/(public)/login': {
		load: open('the login page'),
		actions: { default: open('logging in (throttled per account and address)') }
	},
	'/(public)/login/oidc': { methods: { GET: open('starts the OpenID Connect login') } },
	'/(public)/login/oidc/callback': {
		methods: { GET: open('OpenID Connect redirect; state and PKCE checked') }
	},
	'/(public)/logout': {
		load: open('redirects home'),
		actions: { default: open('ends the caller’s own sessions, if any') }
	},
	'/(public)/health': {
		load: open('monitoring probe, counts only'),
		methods: { GET: open('monitoring probe (JSON), counts only') }
	},
	'/(public)/reply/[invitationId]/[meetingId]': {
		load: link('replyLink', 'signed reply link from the invitation mail'),
		actions: { default: link('replyLink', 'signed reply link from the invitation mail') }
	},
	'/(public)/reply/[invitationId]/serie': {
		load: link('replyLink', 'signed series reply link from the series invitation mail'),
		actions: {
			default: link('replyLink', 'signed series reply link from the series invitation mail')
		}
	},
	'/(public)/invitation/[token]': { load: link('guestLink', 'guest invitation token') },
	'/(public)/invitation/[token]/calendar.ics': {
		methods: { GET: link('guestLink', 'guest invitation token') }
	},
	'/(public)/invitation/[token]/decision': {
		load: link('guestLink:decision', 'guest invitation token, its case only')
	},
	'/(public)/invitation/[token]/decision/pdf': {
		methods: { GET: link('guestLink:decision', 'guest invitation token, its case only') }
	},
	'/(public)/invitation/[token]/room': {
		load: link('guestLink:room', 'guest invitation token, at its case'),
		actions: { raiseHand: link('guestLink:room', 'guest invitation token, at its case') }
	},
	'/(public)/invitation/[token]/room/documents/[documentId]': {
		methods: { GET: link('guestLink:document', 'guest invitation token, documents of its case') }
	},
	'/(public)/invitation/[token]/room/events': {
		methods: { GET: link('guestLink:room', 'guest invitation token') }
	},
	'/(public)/invitation/[token]/room/token': {
		methods: {
			POST: link('guestLink:video', 'guest invitation token, while its case is discussed')
		}
	},
	'/api/calendar/[feed]': {
		methods: { GET: link('feedSecret', 'personal calendar feed secret') }
	},
	'/api/livekit/webhook': {
		methods: { POST: link('webhookSignature', 'LiveKit webhook signed with the API secret') }
	},

	// ---------- any logged-in account ----------
	'/(app)': { layoutLoad: user(), load: user('own agenda') },
	'/(app)/account': {
		load: user('self'),
		actions: { reset: user('self'), password: user('self') }
	},
	'/(app)/account/password': { load: user('self'), actions: { default: user('self') } },
	'/(app)/calendar': { load: user('canViewMeeting per meeting listed') },
	'/(app)/search': { load: user('canViewCase per case listed') },
	'/(app)/mailbox': { load: user('own mail') },
	'/(app)/mailbox/[mailId]': { load: user('own mail') },
	'/(app)/mailbox/[mailId]/attachments/[index]': { methods: { GET: user('own mail') } },
	'/(app)/cases': { load: user('canSubmitCase') },
	'/(app)/cases/new': {
		load: user('canSubmitCase'),
		actions: {
			save: user('canSubmitCase'),
			usePatient: user('canSubmitCase'),
			assist: user('canSubmitCase'),
			autosave: user('canSubmitCase')
		}
	},
	'/(app)/directory/doctors': { methods: { GET: user('canSubmitCase') } },
	'/(app)/directory/communes': { methods: { GET: user('canSubmitCase') } },
	'/(app)/cases/[caseId]': {
		load: user('canViewCase'),
		actions: {
			submit: user('canEditCase'),
			withdraw: user('canWithdrawCase'),
			upload: user('canAddCaseDocument'),
			deleteDocument: user('canRemoveCaseDocument'),
			identity: user('canEditCase')
		}
	},
	'/(app)/cases/[caseId]/edit': {
		load: user('canEditCase'),
		actions: {
			save: user('canEditCase'),
			assist: user('canEditCase'),
			autosave: user('canEditCase')
		}
	},
	'/(app)/cases/[caseId]/opinion': {
		load: user('canViewCase'),
		actions: { save: user('canGiveWrittenOpinion'), withdraw: user('canGiveWrittenOpinion') }
	},
	'/(app)/cases/[caseId]/record-correction': {
		load: user('canCorrectDeliveryData'),
		actions: {
			identity: user('canCorrectDeliveryData'),
			tumour: user('canCorrectDeliveryData')
		}
	},
	'/(app)/cases/[caseId]/decision': { load: user('canViewCase') },
	'/(app)/cases/[caseId]/decision/pdf': { methods: { GET: user('canReadDecision') } },
	'/(app)/cases/[caseId]/documents/[documentId]': { methods: { GET: user('canViewCase') } },
	'/(app)/meetings/[meetingId]': {
		load: user('canViewMeeting'),
		actions: {
			reply: user('canReplyToInvitation'),
			invite: user('canInvite'),
			inviteGuest: user('canInvite'),
			revoke: user('canManageMeeting'),
			renewLink: user('canInvite')
		}
	},
	'/(app)/meetings/[meetingId]/edit': {
		load: user('canManageMeeting'),
		actions: { default: user('canManageMeeting') }
	},
	'/(app)/meetings/[meetingId]/cancel': {
		load: user('canManageMeeting'),
		actions: { default: user('canManageMeeting') }
	},
	'/(app)/meetings/[meetingId]/agenda': {
		load: user('canViewMeeting'),
		actions: {
			move: user('canManageMeeting'),
			reorder: user('canManageMeeting'),
			close: user('canCloseMeeting')
		}
	},
	'/(app)/meetings/[meetingId]/agenda/[caseId]': {
		load: user('canManageMeeting'),
		actions: { default: user('canManageMeeting') }
	},
	'/(app)/meetings/[meetingId]/cases/[caseId]/decision': {
		load: user('canViewDecision'),
		actions: {
			save: user('canWriteDecision'),
			validate: user('canWriteDecision'),
			amend: user('canAmendDecision')
		}
	},
	'/(app)/meetings/[meetingId]/minutes': { methods: { GET: user('canReadMinutes') } },
	'/(app)/meetings/[meetingId]/room': {
		load: user('canFollowLiveMeeting'),
		actions: {
			open: user('canOpenMeeting'),
			next: user('canRunMeeting'),
			previous: user('canRunMeeting'),
			goto: user('canRunMeeting'),
			close: user('canCloseMeeting'),
			retryVideo: user('canRunMeeting'),
			mute: user('canRunMeeting'),
			remove: user('canRunMeeting'),
			checkIn: user('canCheckInAttendees'),
			checkOut: user('canCheckInAttendees'),
			saveDraft: user('canWriteDecision'),
			validate: user('canWriteDecision'),
			raiseHand: user('canFollowLiveMeeting'),
			lowerHand: user('canRunMeeting')
		}
	},
	'/(app)/meetings/[meetingId]/room/documents/[documentId]': {
		methods: { GET: user('canFollowLiveMeeting') }
	},
	'/api/meetings/[meetingId]/events': { methods: { GET: user('canFollowLiveMeeting') } },
	'/api/meetings/[meetingId]/token': { methods: { POST: user('canJoinVideo') } },
	'/(app)/pathways': { load: user('own memberships') },
	'/(app)/pathways/[pathwayId]': { load: user('canViewPathway') },
	'/(app)/pathways/[pathwayId]/worklist': {
		load: user('canCoordinate'),
		actions: {
			// Bulk actions: the pathway's coordination, then canScheduleCase on each case.
			bulkSchedule: user('canCoordinate'),
			bulkDefer: user('canCoordinate'),
			bulkRemind: user('canCoordinate'),
			bulkRefuse: user('canCoordinate'),
			// Inline presenter and duration: canManageMeeting on each case's meeting.
			plan: user('canCoordinate')
		}
	},
	'/(app)/pathways/[pathwayId]/deliveries': {
		load: user('canViewDeliveries'),
		actions: { retry: user('canRetryDelivery'), resendCda: user('canRetryDelivery') }
	},
	'/(app)/pathways/[pathwayId]/meetings/new': {
		load: user('canCoordinate'),
		actions: { default: user('canCoordinate') }
	},
	'/(app)/pathways/[pathwayId]/series/new': {
		load: user('canCoordinate'),
		actions: { default: user('canCoordinate') }
	},
	'/(app)/pathways/[pathwayId]/series/[seriesId]': {
		load: user('canViewPathway'),
		actions: {
			invite: user('canCoordinate'),
			revoke: user('canCoordinate'),
			update: user('canCoordinate'),
			end: user('canCoordinate')
		}
	},
	'/(app)/stats': { load: user('canViewPathwayStats') },
	'/(app)/stats/export': { methods: { GET: user('canViewPathwayStats') } },
	'/(app)/stats/activity': { methods: { GET: user('canViewPathwayStats') } },

	// ---------- administration (no patient data) ----------
	'/(app)/admin': { layoutLoad: admin, load: admin },
	'/(app)/admin/audit': { load: admin },
	'/(app)/admin/establishments': { load: admin, actions: { create: admin } },
	'/(app)/admin/establishments/[establishmentId]': { load: admin, actions: { default: admin } },
	'/(app)/admin/mailbox': { load: admin },
	'/(app)/admin/pathways': { load: admin, actions: { create: admin } },
	'/(app)/admin/pathways/[pathwayId]': {
		load: admin,
		actions: { save: admin, roles: admin, archive: admin, restore: admin }
	},
	'/(app)/admin/specialties': { load: admin, actions: { create: admin } },
	'/(app)/admin/specialties/[code]': { load: admin, actions: { default: admin } },
	'/(app)/admin/users': { load: admin },
	'/(app)/admin/users/new': { load: admin, actions: { default: admin } },
	'/(app)/admin/users/import': { load: admin, actions: { preview: admin, import: admin } },
	'/(app)/admin/users/[userId]': {
		load: admin,
		actions: {
			save: admin,
			memberships: admin,
			disable: admin,
			enable: admin,
			password: admin
		}
	}
};

export type EntryRequest =
	{ kind: 'load' } | { kind: 'action'; name: string } | { kind: 'method'; method: string };

/**
 * The policy for one request, or null when none is declared (the request is then refused).
 * A page without a server `load` of its own is gated by its `layoutLoad` entry.
 */
export function findEntryPolicy(routeId: string, entry: EntryRequest): EntryPolicy | null {
	const route = routePolicies[routeId];
	if (entry.kind === 'load') {
		return route?.load ?? route?.layoutLoad ?? null;
	}
	if (!route) return null;
	if (entry.kind === 'action') return route.actions?.[entry.name] ?? null;
	const method = entry.method === 'HEAD' ? 'GET' : entry.method;
	return route.methods?.[method as keyof NonNullable<RoutePolicy['methods']>] ?? null;
}
