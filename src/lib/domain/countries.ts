/**
 * Countries of birth with their INSEE code (99xxx), for « né(e) à l'étranger ».
 *
 * Source: INSEE, Code officiel géographique, « Pays et territoires étrangers »
 * (https://www.insee.fr/fr/information/2560452, fichier pays, colonne COG), the codes the
 * INS birthplace trait uses for a birth abroad. No maintained npm package carries this list
 * (checked: @etalab/decoupage-administratif has French communes only), so this is a small
 * referential of the countries of birth most often met; any other country is entered by its
 * 99xxx code, which the form accepts as typed.
 */
export interface BirthCountry {
	code: string;
	name: string;
}

export const birthCountries: readonly BirthCountry[] = [
	{ code: '99109', name: 'Allemagne' },
	{ code: '99352', name: 'Algérie' },
	{ code: '99110', name: 'Autriche' },
	{ code: '99131', name: 'Belgique' },
	{ code: '99322', name: 'Cameroun' },
	{ code: '99401', name: 'Canada' },
	{ code: '99216', name: 'Chine' },
	{ code: '99326', name: 'Côte d’Ivoire' },
	{ code: '99101', name: 'Danemark' },
	{ code: '99134', name: 'Espagne' },
	{ code: '99404', name: 'États-Unis' },
	{ code: '99105', name: 'Finlande' },
	{ code: '99126', name: 'Grèce' },
	{ code: '99223', name: 'Inde' },
	{ code: '99136', name: 'Irlande' },
	{ code: '99127', name: 'Italie' },
	{ code: '99217', name: 'Japon' },
	{ code: '99205', name: 'Liban' },
	{ code: '99137', name: 'Luxembourg' },
	{ code: '99333', name: 'Madagascar' },
	{ code: '99335', name: 'Mali' },
	{ code: '99350', name: 'Maroc' },
	{ code: '99138', name: 'Monaco' },
	{ code: '99103', name: 'Norvège' },
	{ code: '99135', name: 'Pays-Bas' },
	{ code: '99122', name: 'Pologne' },
	{ code: '99139', name: 'Portugal' },
	{ code: '99114', name: 'Roumanie' },
	{ code: '99132', name: 'Royaume-Uni' },
	{ code: '99123', name: 'Russie' },
	{ code: '99341', name: 'Sénégal' },
	{ code: '99104', name: 'Suède' },
	{ code: '99140', name: 'Suisse' },
	{ code: '99206', name: 'Syrie' },
	{ code: '99351', name: 'Tunisie' },
	{ code: '99208', name: 'Turquie' },
	{ code: '99155', name: 'Ukraine' },
	{ code: '99243', name: 'Viêt Nam' }
];

/** A birth abroad is coded 99xxx (99100 is France itself, never a birth abroad). */
export function isAbroadCode(code: string): boolean {
	return /^99\d{3}$/.test(code) && code !== '99100';
}

export function findBirthCountry(code: string): BirthCountry | undefined {
	return birthCountries.find((c) => c.code === code);
}
