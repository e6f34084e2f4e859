import { OID, type Coded } from '$lib/domain/cda-value-sets';
import type { DecisionDocumentData } from './document-data';
import { deriveUuid } from './fhir';
import { el, type XmlChild, type XmlElement } from './xml';

/** The building blocks of the Fiche RCP's sections: codes, templates, simple observations. */

/** HL7 TS in Europe/Paris with its offset: « 20261202173000+0100 » (or to the day). */
export function formatCdaTime(d: Date, precision: 'second' | 'day' = 'second'): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: 'Europe/Paris',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(d)
			.map((p) => [p.type, p.value])
	);
	const day = `${parts.year}${parts.month}${parts.day}`;
	if (precision === 'day') return day;
	const local = Date.UTC(
		Number(parts.year),
		Number(parts.month) - 1,
		Number(parts.day),
		Number(parts.hour),
		Number(parts.minute),
		Number(parts.second)
	);
	const offset = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
	const sign = offset >= 0 ? '+' : '-';
	const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
	const mm = String(Math.abs(offset) % 60).padStart(2, '0');
	return `${day}${parts.hour}${parts.minute}${parts.second}${sign}${hh}${mm}`;
}

export const loinc = (c: string, displayName: string): Coded => ({
	code: c,
	codeSystem: OID.loinc,
	displayName
});
export const taAsip = (c: string, displayName: string): Coded => ({
	code: c,
	codeSystem: OID.taAsip,
	displayName
});

export function coded(
	tag: string,
	c: Coded,
	attrs: Record<string, string> = {},
	...kids: XmlChild[]
) {
	return el(
		tag,
		{ ...attrs, code: c.code, codeSystem: c.codeSystem, displayName: c.displayName },
		...kids
	);
}

export const tpl = (...roots: string[]): XmlElement[] =>
	roots.map((root) => el('templateId', { root }));
export const ref = (id: string): XmlElement => el('reference', { value: `#${id}` });
export const bl = (v: boolean): XmlElement =>
	el('value', { 'xsi:type': 'BL', value: v ? 'true' : 'false' });
export const cd = (c: Coded): XmlElement => coded('value', c, { 'xsi:type': 'CD' });

export class Ids {
	private n = 0;
	constructor(private readonly seed: string) {}
	next(): XmlElement {
		return el('id', { root: deriveUuid(`${this.seed}:${++this.n}`).toUpperCase() });
	}
}

export function section(
	templates: string[],
	ids: Ids | null,
	sectionCode: Coded,
	title: string | null,
	text: XmlChild,
	...entries: XmlChild[]
): XmlElement {
	return el(
		'component',
		{},
		el(
			'section',
			{},
			...tpl(...templates),
			ids?.next(),
			coded('code', sectionCode),
			title ? el('title', {}, title) : null,
			el('text', {}, text),
			...entries
		)
	);
}

export interface SimpleObs {
	code: Coded;
	textRef: string;
	value: XmlElement;
	effective?: XmlElement;
	negation?: boolean;
	related?: XmlChild[];
}

export function simpleObservation(ids: Ids, o: SimpleObs): XmlElement {
	return el(
		'observation',
		{ classCode: 'OBS', moodCode: 'EVN', negationInd: o.negation ? 'true' : undefined },
		...tpl('1.3.6.1.4.1.19376.1.5.3.1.4.13', '1.2.250.1.213.1.1.3.48'),
		ids.next(),
		coded('code', o.code),
		el('text', {}, ref(o.textRef)),
		el('statusCode', { code: 'completed' }),
		o.effective ?? el('effectiveTime', { nullFlavor: 'NA' }),
		o.value,
		...(o.related ?? [])
	);
}

export function commentAct(textRef: string): XmlElement {
	return el(
		'act',
		{ classCode: 'ACT', moodCode: 'EVN' },
		...tpl(
			'2.16.840.1.113883.10.20.1.40',
			'1.3.6.1.4.1.19376.1.5.3.1.4.2',
			'1.2.250.1.213.1.1.3.32'
		),
		coded('code', loinc('48767-8', 'Commentaire')),
		el('text', {}, ref(textRef)),
		el('statusCode', { code: 'completed' })
	);
}

export const rel = (typeCode: string, child: XmlElement): XmlElement =>
	el('entryRelationship', { typeCode }, child);
export const row = (label: string, ...value: XmlChild[]): XmlElement =>
	el('tr', {}, el('td', {}, label), el('td', {}, ...value));
export const table = (...rows: XmlElement[]): XmlElement =>
	el('table', { border: '0' }, el('tbody', {}, ...rows));
export const content = (id: string, text: string): XmlElement => el('content', { ID: id }, text);
export const yesNo = (v: boolean): string => (v ? 'Oui' : 'Non');

export function str(data: DecisionDocumentData, key: string): string | null {
	const v = data.caseInfo.pathwayData[key];
	return typeof v === 'string' && v.trim() ? v.trim() : null;
}
