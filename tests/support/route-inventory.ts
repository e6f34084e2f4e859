// Every server entry point of the app, read from the route tree's source: each `load` of a
// `+page.server.ts` / `+layout.server.ts`, each named form action, each `+server.ts` method.
// The access tests are generated from this list, so a new route cannot escape them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export type EntryKind = 'load' | 'layout-load' | 'action' | 'method';

export interface EntryPoint {
	/** SvelteKit route id, e.g. `/(app)/cases/[caseId]`. */
	routeId: string;
	kind: EntryKind;
	/** Action name (`default` included) or HTTP method; empty for loads. */
	name: string;
	file: string;
}

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback']);

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

function exportedNames(source: ts.SourceFile): Map<string, ts.Node> {
	const names = new Map<string, ts.Node>();
	for (const statement of source.statements) {
		const exported = ts
			.getModifiers(statement as ts.HasModifiers)
			?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isVariableStatement(statement)) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name)) names.set(d.name.text, d.initializer ?? d);
			}
		} else if (ts.isFunctionDeclaration(statement) && statement.name) {
			names.set(statement.name.text, statement);
		}
	}
	return names;
}

function unwrap(node: ts.Node): ts.Node {
	let n = node;
	while (ts.isSatisfiesExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n))
		n = n.expression;
	return n;
}

function actionNames(node: ts.Node, file: string): string[] {
	const n = unwrap(node);
	if (!ts.isObjectLiteralExpression(n))
		throw new Error(`${file}: 'actions' must be an object literal to be inventoried`);
	return n.properties.map((p) => {
		if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
		throw new Error(`${file}: an action without a plain name cannot be inventoried`);
	});
}

/** Route id from a file under src/routes, as SvelteKit writes it. */
function toRouteId(routesDir: string, file: string): string {
	const dir = relative(routesDir, file).split(sep).slice(0, -1).join('/');
	return '/' + dir;
}

export function listEntryPoints(root = process.cwd()): EntryPoint[] {
	const routesDir = join(root, 'src', 'routes');
	const entries: EntryPoint[] = [];
	for (const file of walk(routesDir).sort()) {
		const base = file.split(sep).pop()!;
		if (!/^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(base)) continue;
		const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
		const names = exportedNames(source);
		const routeId = toRouteId(routesDir, file);
		const rel = relative(root, file);
		if (base === '+server.ts') {
			for (const name of names.keys())
				if (methods.has(name)) entries.push({ routeId, kind: 'method', name, file: rel });
			continue;
		}
		const layout = base.startsWith('+layout');
		if (names.has('load'))
			entries.push({ routeId, kind: layout ? 'layout-load' : 'load', name: '', file: rel });
		const actions = names.get('actions');
		if (actions && !layout)
			for (const name of actionNames(actions, rel))
				entries.push({ routeId, kind: 'action', name, file: rel });
	}
	return entries;
}

/** Route ids of the pages (folders with a `+page.svelte`), whose `__data.json` is an entry too. */
export function listPageRoutes(root = process.cwd()): string[] {
	const routesDir = join(root, 'src', 'routes');
	return walk(routesDir)
		.filter((f) => f.endsWith(`${sep}+page.svelte`))
		.map((f) => toRouteId(routesDir, f))
		.sort();
}
