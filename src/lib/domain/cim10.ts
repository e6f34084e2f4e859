/**
 * CIM-10 (French ICD-10, ATIH) malignant neoplasm codes, chapter II C00–C97, with the
 * subdivisions the oncology pathways of the network use most. Labels follow the French
 * classification, shortened where the official title is long.
 */
export interface Cim10Entry {
	code: string;
	label: string;
}

export type Cim10Organ = 'digestive' | 'thoracic' | 'breast';

const categories: readonly Cim10Entry[] = [
	{ code: 'C00', label: 'Tumeur maligne de la lèvre' },
	{ code: 'C01', label: 'Tumeur maligne de la base de la langue' },
	{ code: 'C02', label: 'Tumeur maligne de la langue, parties autres et non précisées' },
	{ code: 'C03', label: 'Tumeur maligne de la gencive' },
	{ code: 'C04', label: 'Tumeur maligne du plancher de la bouche' },
	{ code: 'C05', label: 'Tumeur maligne du palais' },
	{ code: 'C06', label: 'Tumeur maligne de la bouche, parties autres et non précisées' },
	{ code: 'C07', label: 'Tumeur maligne de la glande parotide' },
	{ code: 'C08', label: 'Tumeur maligne des glandes salivaires principales, autres' },
	{ code: 'C09', label: 'Tumeur maligne de l’amygdale' },
	{ code: 'C10', label: 'Tumeur maligne de l’oropharynx' },
	{ code: 'C11', label: 'Tumeur maligne du rhinopharynx' },
	{ code: 'C12', label: 'Tumeur maligne du sinus piriforme' },
	{ code: 'C13', label: 'Tumeur maligne de l’hypopharynx' },
	{ code: 'C14', label: 'Tumeur maligne de la lèvre, de la bouche et du pharynx, autres sièges' },
	{ code: 'C15', label: 'Tumeur maligne de l’œsophage' },
	{ code: 'C16', label: 'Tumeur maligne de l’estomac' },
	{ code: 'C17', label: 'Tumeur maligne de l’intestin grêle' },
	{ code: 'C18', label: 'Tumeur maligne du côlon' },
	{ code: 'C19', label: 'Tumeur maligne de la jonction recto-sigmoïdienne' },
	{ code: 'C20', label: 'Tumeur maligne du rectum' },
	{ code: 'C21', label: 'Tumeur maligne de l’anus et du canal anal' },
	{ code: 'C22', label: 'Tumeur maligne du foie et des voies biliaires intrahépatiques' },
	{ code: 'C23', label: 'Tumeur maligne de la vésicule biliaire' },
	{ code: 'C24', label: 'Tumeur maligne des voies biliaires, parties autres et non précisées' },
	{ code: 'C25', label: 'Tumeur maligne du pancréas' },
	{ code: 'C26', label: 'Tumeur maligne des organes digestifs, sièges autres et mal définis' },
	{ code: 'C30', label: 'Tumeur maligne des fosses nasales et de l’oreille moyenne' },
	{ code: 'C31', label: 'Tumeur maligne des sinus de la face' },
	{ code: 'C32', label: 'Tumeur maligne du larynx' },
	{ code: 'C33', label: 'Tumeur maligne de la trachée' },
	{ code: 'C34', label: 'Tumeur maligne des bronches et du poumon' },
	{ code: 'C37', label: 'Tumeur maligne du thymus' },
	{ code: 'C38', label: 'Tumeur maligne du cœur, du médiastin et de la plèvre' },
	{ code: 'C39', label: 'Tumeur maligne de l’appareil respiratoire, sièges autres et mal définis' },
	{ code: 'C40', label: 'Tumeur maligne des os et du cartilage articulaire des membres' },
	{ code: 'C41', label: 'Tumeur maligne des os et du cartilage articulaire, autres sièges' },
	{ code: 'C43', label: 'Mélanome malin de la peau' },
	{ code: 'C44', label: 'Autres tumeurs malignes de la peau' },
	{ code: 'C45', label: 'Mésothéliome' },
	{ code: 'C46', label: 'Sarcome de Kaposi' },
	{ code: 'C47', label: 'Tumeur maligne des nerfs périphériques et du système nerveux autonome' },
	{ code: 'C48', label: 'Tumeur maligne du rétropéritoine et du péritoine' },
	{ code: 'C49', label: 'Tumeur maligne du tissu conjonctif et des autres tissus mous' },
	{ code: 'C50', label: 'Tumeur maligne du sein' },
	{ code: 'C51', label: 'Tumeur maligne de la vulve' },
	{ code: 'C52', label: 'Tumeur maligne du vagin' },
	{ code: 'C53', label: 'Tumeur maligne du col de l’utérus' },
	{ code: 'C54', label: 'Tumeur maligne du corps de l’utérus' },
	{ code: 'C55', label: 'Tumeur maligne de l’utérus, partie non précisée' },
	{ code: 'C56', label: 'Tumeur maligne de l’ovaire' },
	{ code: 'C57', label: 'Tumeur maligne des organes génitaux de la femme, autres' },
	{ code: 'C58', label: 'Tumeur maligne du placenta' },
	{ code: 'C60', label: 'Tumeur maligne de la verge' },
	{ code: 'C61', label: 'Tumeur maligne de la prostate' },
	{ code: 'C62', label: 'Tumeur maligne du testicule' },
	{ code: 'C63', label: 'Tumeur maligne des organes génitaux de l’homme, autres' },
	{ code: 'C64', label: 'Tumeur maligne du rein, à l’exception du bassinet' },
	{ code: 'C65', label: 'Tumeur maligne du bassinet' },
	{ code: 'C66', label: 'Tumeur maligne de l’uretère' },
	{ code: 'C67', label: 'Tumeur maligne de la vessie' },
	{ code: 'C68', label: 'Tumeur maligne des organes urinaires, autres et non précisés' },
	{ code: 'C69', label: 'Tumeur maligne de l’œil et de ses annexes' },
	{ code: 'C70', label: 'Tumeur maligne des méninges' },
	{ code: 'C71', label: 'Tumeur maligne de l’encéphale' },
	{ code: 'C72', label: 'Tumeur maligne de la moelle épinière et des nerfs crâniens' },
	{ code: 'C73', label: 'Tumeur maligne de la glande thyroïde' },
	{ code: 'C74', label: 'Tumeur maligne de la surrénale' },
	{ code: 'C75', label: 'Tumeur maligne d’autres glandes endocrines' },
	{ code: 'C76', label: 'Tumeur maligne de sièges autres et mal définis' },
	{ code: 'C77', label: 'Tumeur maligne des ganglions lymphatiques, secondaire' },
	{ code: 'C78', label: 'Tumeur maligne secondaire des organes respiratoires et digestifs' },
	{ code: 'C79', label: 'Tumeur maligne secondaire d’autres sièges' },
	{ code: 'C80', label: 'Tumeur maligne de siège non précisé' },
	{ code: 'C81', label: 'Lymphome de Hodgkin' },
	{ code: 'C82', label: 'Lymphome folliculaire' },
	{ code: 'C83', label: 'Lymphome non folliculaire' },
	{ code: 'C84', label: 'Lymphomes à cellules T/NK matures' },
	{ code: 'C85', label: 'Lymphome non hodgkinien, types autres et non précisés' },
	{ code: 'C86', label: 'Autres types précisés de lymphome à cellules T/NK' },
	{ code: 'C88', label: 'Maladies immunoprolifératives malignes' },
	{ code: 'C90', label: 'Myélome multiple et tumeurs malignes à plasmocytes' },
	{ code: 'C91', label: 'Leucémie lymphoïde' },
	{ code: 'C92', label: 'Leucémie myéloïde' },
	{ code: 'C93', label: 'Leucémie monocytaire' },
	{ code: 'C94', label: 'Autres leucémies à cellules précisées' },
	{ code: 'C95', label: 'Leucémie à cellules non précisées' },
	{ code: 'C96', label: 'Tumeurs malignes des tissus lymphoïde et hématopoïétique, autres' },
	{ code: 'C97', label: 'Tumeurs malignes de sièges multiples indépendants (primitifs)' }
];

const subdivisions: readonly Cim10Entry[] = [
	{ code: 'C15.9', label: 'Œsophage, sans précision' },
	{ code: 'C16.0', label: 'Cardia' },
	{ code: 'C16.2', label: 'Corps de l’estomac' },
	{ code: 'C16.3', label: 'Antre pylorique' },
	{ code: 'C16.9', label: 'Estomac, sans précision' },
	{ code: 'C18.0', label: 'Cæcum' },
	{ code: 'C18.2', label: 'Côlon ascendant' },
	{ code: 'C18.3', label: 'Angle droit du côlon' },
	{ code: 'C18.4', label: 'Côlon transverse' },
	{ code: 'C18.5', label: 'Angle gauche du côlon' },
	{ code: 'C18.6', label: 'Côlon descendant' },
	{ code: 'C18.7', label: 'Côlon sigmoïde' },
	{ code: 'C18.9', label: 'Côlon, sans précision' },
	{ code: 'C22.0', label: 'Carcinome hépatocellulaire' },
	{ code: 'C22.1', label: 'Carcinome des voies biliaires intrahépatiques' },
	{ code: 'C25.0', label: 'Tête du pancréas' },
	{ code: 'C25.1', label: 'Corps du pancréas' },
	{ code: 'C25.2', label: 'Queue du pancréas' },
	{ code: 'C25.9', label: 'Pancréas, sans précision' },
	{ code: 'C34.0', label: 'Bronche souche' },
	{ code: 'C34.1', label: 'Lobe supérieur, bronches ou poumon' },
	{ code: 'C34.2', label: 'Lobe moyen, bronches ou poumon' },
	{ code: 'C34.3', label: 'Lobe inférieur, bronches ou poumon' },
	{ code: 'C34.9', label: 'Bronches ou poumon, sans précision' },
	{ code: 'C50.1', label: 'Partie centrale du sein' },
	{ code: 'C50.2', label: 'Quadrant supéro-interne du sein' },
	{ code: 'C50.3', label: 'Quadrant inféro-interne du sein' },
	{ code: 'C50.4', label: 'Quadrant supéro-externe du sein' },
	{ code: 'C50.5', label: 'Quadrant inféro-externe du sein' },
	{ code: 'C50.8', label: 'Lésion à localisations contiguës du sein' },
	{ code: 'C50.9', label: 'Sein, sans précision' }
];

/** Categories and subdivisions, sorted by code. */
export const cim10Codes: readonly Cim10Entry[] = Object.freeze(
	[...categories, ...subdivisions].sort((a, b) => (a.code < b.code ? -1 : 1))
);

const byCode: ReadonlyMap<string, Cim10Entry> = new Map(cim10Codes.map((e) => [e.code, e]));

// The category ranges each organ pathway discusses first.
const organRanges: Readonly<Record<Cim10Organ, readonly [number, number][]>> = {
	digestive: [
		[15, 26],
		[48, 48]
	],
	thoracic: [
		[33, 39],
		[45, 45]
	],
	breast: [[50, 50]]
};

/** Accepts « c18.7 », « C187 » or « C18.7 »; returns the catalog spelling or null. */
export function normalizeCim10Code(input: string): string | null {
	const compact = input.trim().toUpperCase().replace(/\s+/g, '');
	const match = /^C(\d{2})\.?(\d)?$/.exec(compact);
	if (!match) return null;
	return match[2] === undefined ? `C${match[1]}` : `C${match[1]}.${match[2]}`;
}

export function findCim10(code: string): Cim10Entry | undefined {
	const normalized = normalizeCim10Code(code);
	return normalized === null ? undefined : byCode.get(normalized);
}

/** « C18.7 — Côlon sigmoïde (Tumeur maligne du côlon) »; unknown codes are shown as is. */
export function formatCim10(code: string): string {
	const entry = findCim10(code);
	if (!entry) return code;
	if (!entry.code.includes('.')) return `${entry.code} — ${entry.label}`;
	const parent = byCode.get(entry.code.slice(0, 3));
	return `${entry.code} — ${entry.label}${parent ? ` (${parent.label})` : ''}`;
}

function inOrgan(code: string, organ: Cim10Organ): boolean {
	const n = Number(code.slice(1, 3));
	// An organ Pluri's pathways know but this table does not (urology…) lists every code.
	return (organRanges[organ] ?? [[0, 99]]).some(([from, to]) => n >= from && n <= to);
}

/** The organ's codes first, then every other code, for the form's choice list. */
export function groupCim10ForOrgan(
	organ: Cim10Organ | null
): { label: string; entries: Cim10Entry[] }[] {
	if (organ === null) return [{ label: 'Tous les codes C', entries: [...cim10Codes] }];
	return [
		{
			label: 'Localisations de la filière',
			entries: cim10Codes.filter((e) => inOrgan(e.code, organ))
		},
		{ label: 'Autres localisations', entries: cim10Codes.filter((e) => !inOrgan(e.code, organ)) }
	];
}
