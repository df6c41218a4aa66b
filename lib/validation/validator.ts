import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigurationError, type ValidationIssue } from '../errors.js';
import type { JsonSchema } from '../schema/plain.js';

/** A compiled schema check, a type guard for the schema's static type. */
export type Validate<S extends TSchema> = (value: unknown) => value is Static<S>;

export interface CompiledValidator<S extends TSchema> {
  readonly check: Validate<S>;
  /** Issues of the last failed `check`. */
  readonly issues: () => readonly ValidationIssue[];
}

// ajv-formats is CommonJS with `module.exports.default`; which of the two a bundler hands us varies.
const formatsPlugin: typeof addFormats =
  (addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats;

/**
 * Compiles `schema` once with its own Ajv instance (schemas with the same `$id` in two wrappers
 * must not collide). Ajv never changes the value: no defaults, no coercion, no removal. What is
 * compiled is the plain schema the model is shown (`plainSchema(schema)`, the prompt's
 * `parameters`): one schema composed in twice would otherwise bring its `$id` twice, which Ajv
 * refuses ("resolves to more than one schema").
 */
export function compileValidator<S extends TSchema>(parameters: JsonSchema): CompiledValidator<S> {
  // Ajv reports an unknown `format` as a warning and then skips it: collected here, never printed.
  const warnings: string[] = [];
  const logger = { log: () => undefined, warn: (...args: unknown[]) => void warnings.push(args.map(String).join(' ')), error: () => undefined };
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, logger });
  formatsPlugin(ajv);
  let validate;
  try {
    validate = ajv.compile<Static<S>>(parameters);
  } catch (cause) {
    throw new ConfigurationError(
      'schema',
      `The \`schema\` is not a JSON Schema Ajv can compile: ${(cause as Error).message}. Build it with TypeBox's Type.* helpers.`,
      { cause },
    );
  }
  for (const warning of warnings) {
    const unknown = /unknown format "(.*)" ignored in schema at path "#?(.*)"/.exec(warning);
    if (unknown === null) continue;
    const [, format, path] = unknown;
    throw new ConfigurationError(
      'schema',
      `The \`schema\` uses the string format ${JSON.stringify(format)} (at ${path === '' ? 'the root' : path}), which the validator does not know, so answers could not be checked against it ` +
        "(a format added to TypeBox's FormatRegistry is not known here). Use a format Ajv knows (ajv-formats: date-time, date, time, email, uri, uuid, ipv4, ...), " +
        "or a `pattern`: Type.String({ pattern: '^[A-Z]{3}-[0-9]{4}$' }).",
    );
  }
  return {
    check: validate as Validate<S>,
    issues: () => (validate.errors ?? []).map(toIssue),
  };
}

/** One Ajv error as a validation issue. */
export function toIssue(error: ErrorObject): ValidationIssue {
  return { path: error.instancePath, message: error.message ?? error.keyword };
}
