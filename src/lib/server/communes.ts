/**
 * French communes from the Code officiel géographique (INSEE), as published by Etalab in
 * `@etalab/decoupage-administratif` (current communes, delegated and associated communes,
 * Paris/Lyon/Marseille arrondissements). Loaded once on the server, on first use; the browser
 * only ever receives the few matches of a search.
 */
import { createRequire } from 'node:module';
import {
	indexCommune,
	resolveBirthplace,
	searchCommunes,
	type BirthplaceResolution,
	type CommuneKind,
	type IndexedCommune
} from '$lib/domain/birthplace';

interface EtalabCommune {
	code: string;
	nom: string;
	type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
	departement?: string;
	chefLieu?: string;
	commune?: string;
	population?: number;
}

const kinds: Record<EtalabCommune['type'], CommuneKind> = {
	'commune-actuelle': 'current',
	'commune-deleguee': 'delegated',
	'commune-associee': 'associated',
	'arrondissement-municipal': 'district'
};

let index: IndexedCommune[] | null = null;

/** Read at run time from node_modules (not bundled: the file is 8 MB). */
function loadEtalab(): EtalabCommune[] {
	const require = createRequire(import.meta.url);
	return require('@etalab/decoupage-administratif/data/communes.json') as EtalabCommune[];
}

export function getCommuneIndex(): readonly IndexedCommune[] {
	if (index) return index;
	const rows = loadEtalab();
	const current = new Map(
		rows.filter((r) => r.type === 'commune-actuelle').map((r) => [r.code, r] as const)
	);
	index = rows.map((r) => {
		const parentCode = r.type === 'commune-actuelle' ? undefined : (r.chefLieu ?? r.commune);
		const parent = parentCode ? current.get(parentCode) : undefined;
		return indexCommune({
			code: r.code,
			name: r.nom,
			department: r.departement ?? parent?.departement ?? r.code.slice(0, 2),
			kind: kinds[r.type],
			...(parent ? { parentName: parent.nom } : {}),
			...(r.population !== undefined ? { population: r.population } : {})
		});
	});
	return index;
}

export function findCommunes(query: string, limit = 10): IndexedCommune[] {
	return searchCommunes(query, getCommuneIndex(), limit);
}

export function resolveTypedBirthplace(query: string): BirthplaceResolution {
	return resolveBirthplace(query, getCommuneIndex());
}

/** The commune an INSEE code designates (a current commune first), for showing a stored code. */
export function describeCommuneCode(code: string): IndexedCommune | undefined {
	const found = getCommuneIndex().filter((c) => c.code === code);
	return found.find((c) => c.kind === 'current') ?? found[0];
}
