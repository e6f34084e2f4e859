import { onDecisionEvent } from './decision-events';
import { prepareDecisionPdf } from './delivery/pdf-store';
import { wakeDeliveryWorker } from './delivery/worker';
import { publishMeetingEvent } from './live/bus';

let wired = false;

/**
 * The reactions to what the decision aggregate records: every screen of the meeting re-reads
 * the decision, the fiche is rendered ahead of the sends, the delivery worker wakes up.
 * Wired once by the server's start-up (and by the integration tests' set-up).
 */
export function wireDecisionReactions(): void {
	if (wired) return;
	wired = true;
	onDecisionEvent((event) => {
		if (event.meetingId)
			publishMeetingEvent(event.meetingId, { type: 'decision', caseId: event.caseId });
		if (event.kind !== 'recorded') return;
		prepareDecisionPdf(event.decisionId);
		if (event.deliver) wakeDeliveryWorker();
	});
}
