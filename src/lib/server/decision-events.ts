/**
 * What the decision aggregate announces once a write has committed. The decision modules know
 * nothing of who listens: the live meeting and the deliveries react (decision-reactions.ts,
 * wired once per process), so the aggregate sits at the bottom of the dependency stack.
 */
export type DecisionEvent =
	/** The draft changed (saved, or typed content kept by a refused validation). */
	| { kind: 'draft'; meetingId: string; caseId: string }
	/** A decision version was validated or amended; `deliver`: its sends were queued. */
	| {
			kind: 'recorded';
			meetingId: string | null;
			caseId: string;
			decisionId: string;
			deliver: boolean;
	  };

type Listener = (event: DecisionEvent) => void;

const listeners = new Set<Listener>();

export function onDecisionEvent(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Called after the transaction committed; a failing listener never undoes the write. */
export function announceDecision(event: DecisionEvent): void {
	for (const listener of listeners) {
		try {
			listener(event);
		} catch (e) {
			console.error('[decision] reaction failed', e);
		}
	}
}
