/**
 * A small XML tree and its serializer: every attribute value and text node is escaped here, so
 * documents built from user data (names, free text) cannot break out of their element.
 */

export type XmlChild = XmlElement | string | null | undefined | false | XmlChild[];

export interface XmlElement {
	readonly name: string;
	readonly attrs: Readonly<Record<string, string | number | boolean | null | undefined>>;
	readonly children: readonly XmlChild[];
}

/** An element; null/undefined attributes are left out, falsy children are skipped. */
export function el(
	name: string,
	attrs: XmlElement['attrs'] = {},
	...children: XmlChild[]
): XmlElement {
	return { name, attrs, children };
}

/** Drops the characters XML 1.0 cannot carry at all (control characters but tab and newlines). */
function clean(s: string): string {
	// eslint-disable-next-line no-control-regex
	return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

export function escapeXmlText(s: string): string {
	return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttr(s: string): string {
	return escapeXmlText(s)
		.replace(/"/g, '&quot;')
		.replace(/\t/g, '&#9;')
		.replace(/\n/g, '&#10;')
		.replace(/\r/g, '&#13;');
}

function write(node: XmlChild, out: string[]): void {
	if (node === null || node === undefined || node === false) return;
	if (Array.isArray(node)) {
		for (const c of node) write(c, out);
		return;
	}
	if (typeof node === 'string') {
		out.push(escapeXmlText(node));
		return;
	}
	out.push('<', node.name);
	for (const [k, v] of Object.entries(node.attrs)) {
		if (v === null || v === undefined) continue;
		out.push(' ', k, '="', escapeXmlAttr(String(v)), '"');
	}
	const kids = node.children.filter((c) => c !== null && c !== undefined && c !== false);
	if (!kids.length) {
		out.push('/>');
		return;
	}
	out.push('>');
	for (const c of kids) write(c, out);
	out.push('</', node.name, '>');
}

/** The document with its XML declaration, UTF-8. */
export function serializeXml(root: XmlElement): string {
	const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
	write(root, out);
	out.push('\n');
	return out.join('');
}
