import { fail } from '@sveltejs/kit';
import { formatCim10 } from '$lib/domain/cim10';
import { formatIns } from '$lib/domain/ins';
import { canCorrectDeliveryData } from '$lib/server/auth/access';
import { correctCaseStaging, loadCaseRef, readCase } from '$lib/server/cases';
import { describeCdaCorrections } from '$lib/server/delivery/cda-corrections';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { updatePatientIdentity } from '$lib/server/patients';
import { identityUpdateSchema } from '$lib/validation/cases';
import { parseForm } from '$lib/validation/form';
import { stagingCorrectionSchema } from '$lib/validation/record-correction';
import type { Actions, PageServerLoad } from './$types';

/**
 * « Compléter pour le DMP »: after validation the case is locked, but what held the Fiche RCP
 * (CDA) back is corrected here by the pathway's coordinator, audited, without touching the
 * validated proposal. Then « Renvoyer avec la fiche CDA » on the deliveries page sends it.
 */
async function loadCorrectable(locals: App.Locals, caseId: string) {
	const found = (await loadCaseRef(caseId)) ?? notFound('Ce dossier n’existe pas.');
	await ensure(
		canCorrectDeliveryData(locals.actor, found.ref),
		'Seule la coordination de la filière complète un dossier après la validation de la proposition.'
	);
	return found;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { caseRow } = await loadCorrectable(locals, params.caseId);
	const view = await readCase(caseRow, locals.audit);
	const data = caseRow.pathwayData;
	const str = (k: string): string => (typeof data[k] === 'string' ? (data[k] as string) : '');
	return {
		caseId: caseRow.id,
		pathway: { id: view.pathway.id, name: view.pathway.name, kind: view.pathway.kind },
		patient: {
			birthName: view.patient.birthName,
			firstNames: view.patient.firstNames,
			sex: view.patient.sex,
			birthDate: view.patient.birthDate,
			birthplaceCode: view.patient.birthplaceCode,
			ins: view.patient.insMatricule ? formatIns(view.patient.insMatricule) : null,
			identityStatus: view.patient.identityStatus
		},
		staging: {
			primarySite: str('primarySite'),
			primarySiteLabel: str('primarySite') ? formatCim10(str('primarySite')) : null,
			cT: str('cT'),
			cN: str('cN'),
			cM: str('cM')
		},
		corrections: await describeCdaCorrections(caseRow.id)
	};
};

export const actions: Actions = {
	identity: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow } = await loadCorrectable(locals, params.caseId);
		const parsed = parseForm(identityUpdateSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'identity', values: parsed.values, errors: parsed.errors });
		const decisionId = (await describeCdaCorrections(caseRow.id))?.decisionId ?? null;
		const result = await updatePatientIdentity(caseRow.patientId, parsed.data, locals.audit, {
			caseId: caseRow.id,
			decisionId
		});
		if (!result.ok)
			return fail(400, { action: 'identity', values: parsed.values, errors: result.errors });
		return { action: 'identity', success: 'L’identité du patient est mise à jour.' };
	},
	tumour: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow } = await loadCorrectable(locals, params.caseId);
		if ((await getPathway(caseRow.pathwayId))?.kind !== 'oncology') {
			return fail(400, {
				action: 'tumour',
				errors: {
					form: 'Cette filière n’a pas de volet CI-SIS : il n’y a pas de stade TNM à compléter.'
				}
			});
		}
		const parsed = parseForm(stagingCorrectionSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'tumour', values: parsed.values, errors: parsed.errors });
		const decisionId = (await describeCdaCorrections(caseRow.id))?.decisionId ?? null;
		const { changed } = await correctCaseStaging(caseRow.id, parsed.data, locals.audit, {
			decisionId
		});
		return {
			action: 'tumour',
			success: changed.length
				? 'La localisation et le stade TNM sont enregistrés.'
				: 'Aucune modification : les valeurs étaient déjà celles-ci.'
		};
	}
};
