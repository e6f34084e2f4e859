import { deserialize } from '$app/forms';
import { formatParisTime } from '$lib/domain/schedule';
import type { DecisionFormFailure, DecisionFormSuccess } from '$lib/server/live/decision-form';
import type { LiveDecision } from '$lib/server/live/state';

/** What the room's decision actions answer (form data of the page). */
export type RoomDecisionResult = DecisionFormSuccess | DecisionFormFailure;

/** What the chair's form holds: the decision fields as the form posts them. */
export interface DraftValues {
	proposalTypes: string[];
	text: string;
	conformity: string;
	justification: string;
	trialProposed: boolean;
	trialName: string;
	followUp: string;
}

export function toDraftValues(d: LiveDecision | null): DraftValues {
	return {
		proposalTypes: [...(d?.proposalTypes ?? [])],
		text: d?.text ?? '',
		conformity: d?.conformity ?? '',
		justification: d?.justification ?? '',
		trialProposed: d?.trialProposed ?? false,
		trialName: d?.trialName ?? '',
		followUp: d?.followUp ?? ''
	};
}

/** Values posted back by a failed submission without JavaScript (strings or lists). */
export function fromPostedValues(v: Record<string, string | string[] | undefined>): DraftValues {
	const one = (x: string | string[] | undefined) => (Array.isArray(x) ? (x[0] ?? '') : (x ?? ''));
	const list = (x: string | string[] | undefined) =>
		x === undefined ? [] : Array.isArray(x) ? x : [x];
	return {
		proposalTypes: list(v.proposalTypes),
		text: one(v.text),
		conformity: one(v.conformity),
		justification: one(v.justification),
		trialProposed: v.trialProposed !== undefined,
		trialName: one(v.trialName),
		followUp: one(v.followUp)
	};
}

const AUTOSAVE_DELAY_MS = 700;

/**
 * Autosave of the chair's draft. One save in flight at a time, each based on the revision the
 * server gave back; a newer revision written elsewhere (another tab, another chair) makes the
 * next save refused: the chair's text stays, and they choose to take the newer one or keep theirs.
 */
export class DraftAutosave {
	revision = $state(0);
	status = $state('');
	/** Set when the server holds a newer revision than the one typed on. */
	staleRevision: number | null = $state(null);
	dirty = $state(false);
	private timer: ReturnType<typeof setTimeout> | null = null;
	private inFlight: Promise<void> | null = null;
	private again = false;

	constructor(
		private url: () => string,
		private form: () => HTMLFormElement | undefined,
		initialRevision: number
	) {
		this.revision = initialRevision;
	}

	/** Something was typed: save shortly. */
	touch(): void {
		this.dirty = true;
		this.status = 'Modifications en cours…';
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.flush(), AUTOSAVE_DELAY_MS);
	}

	/** Saves now (and waits for a save already running); resolves once nothing is pending. */
	async flush(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.inFlight) {
			this.again = true;
			await this.inFlight;
			return;
		}
		if (!this.dirty || this.staleRevision !== null) return;
		this.inFlight = this.send().finally(() => (this.inFlight = null));
		await this.inFlight;
		if (this.again) {
			this.again = false;
			await this.flush();
		}
	}

	private async send(): Promise<void> {
		const el = this.form();
		if (!el) return;
		const body = new FormData(el);
		body.set('revision', String(this.revision));
		body.delete('expected');
		this.dirty = false;
		let response: Response;
		try {
			response = await fetch(this.url(), {
				method: 'POST',
				body,
				headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
			});
		} catch {
			this.dirty = true;
			this.status =
				'Brouillon non enregistré : connexion perdue. Nouvel essai à la prochaine saisie.';
			return;
		}
		const result = deserialize(await response.text());
		if (result.type === 'success') {
			const data = result.data as { revision: number; savedAt: string };
			this.revision = data.revision;
			const savedAt = new Date(data.savedAt); // eslint-disable-line svelte/prefer-svelte-reactivity -- read once, not kept
			this.status = `Brouillon enregistré à ${formatParisTime(savedAt)}.`;
			return;
		}
		this.dirty = true;
		if (result.type === 'failure') {
			const data = result.data as
				{ errors?: Record<string, string>; stale?: boolean; revision?: number } | undefined;
			if (data?.stale && typeof data.revision === 'number') {
				this.staleRevision = data.revision;
				this.status = Object.values(data.errors ?? {})[0] ?? 'Version plus récente enregistrée.';
				return;
			}
			this.status = `Brouillon non enregistré : ${Object.values(data?.errors ?? {})[0] ?? 'erreur'}`;
			return;
		}
		this.status = 'Brouillon non enregistré : rechargez la page.';
	}

	/** The chair keeps their text: the next save is based on the newer revision and replaces it. */
	keepMine(): void {
		if (this.staleRevision === null) return;
		this.revision = this.staleRevision;
		this.staleRevision = null;
		this.dirty = true;
		void this.flush();
	}

	/** The chair takes the newer version: their unsaved text is dropped. */
	takeTheirs(revision: number): void {
		this.revision = revision;
		this.staleRevision = null;
		this.dirty = false;
		this.status = 'Version à jour reprise.';
	}

	/** The form now shows the server's version (a new case, or a newer revision while idle). */
	reset(revision: number): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.revision = revision;
		this.staleRevision = null;
		this.dirty = false;
		this.status = '';
	}

	get busy(): boolean {
		return this.inFlight !== null || this.timer !== null;
	}

	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
