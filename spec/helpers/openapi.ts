import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * `spec/fixtures/openai-openapi/`: OpenAI's official spec, copied into the repository with its
 * license and source (see the README there). Resolved from the working directory (the project's
 * root under Jest, `npm run bench` and .ci/run), since this module also runs as ESM under tsx,
 * where `__dirname` does not exist.
 */
const specDir = (): string => join(process.cwd(), 'spec', 'fixtures', 'openai-openapi');

/**
 * OpenAPI's `nullable` is not JSON Schema: rewrite each `nullable: true` node as
 * `anyOf: [node, { type: 'null' }]` and drop `nullable: false` (see spec/fixtures/openai-openapi/README.md).
 * Likewise OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` (the fine-tuning
 * `learning_rate_multiplier` has one), which become the 2020 draft's numeric form.
 */
function translateNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(translateNullable);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = translateNullable(value);
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const cache = new Map<string, Ajv2020>();

/** Compiles `components.schemas[name]` of one of the spec files with Ajv's 2020 draft. */
export function openApiValidator(file: 'openapi.json' | 'openapi-2025-04.json', name: string): ValidateFunction {
  let ajv = cache.get(file);
  if (ajv === undefined) {
    const document = translateNullable(JSON.parse(readFileSync(join(specDir(), file), 'utf8'))) as Record<string, unknown>;
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...document, $id: `https://openai.test/${file}` });
    cache.set(file, ajv);
  }
  return ajv.compile({ $ref: `https://openai.test/${file}#/components/schemas/${name}` });
}
