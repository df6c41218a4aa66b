import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** A declared function's `parameters`, compiled; or why it does not compile. */
export type ParametersCheck = { readonly validate: ValidateFunction } | { readonly problem: string };

// ajv-formats is CommonJS with `module.exports.default`; which of the two a bundler hands us varies.
const formatsPlugin: typeof addFormats = (addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats;

// Enough for any real dataset; a file declaring more distinct schemas recompiles, never grows.
const maxCached = 256;

/**
 * Compiled `parameters` schemas, one Ajv validator per distinct schema. Lines of a dataset
 * almost always declare the same function again and again, so the key is cheap first: the last
 * schema seen for each function name, compared by value without allocating; only a schema
 * unlike it is serialized to look up the others.
 */
export class ParameterValidators {
  private readonly lastByName = new Map<string, { readonly parameters: unknown; readonly check: ParametersCheck }>();
  private readonly byText = new Map<string, ParametersCheck>();
  private lastText: { readonly text: string; readonly check: ParametersCheck } | undefined;
  private ajv: { draft7: Ajv; draft2019: Ajv2019; draft2020: Ajv2020 } | undefined;

  get(name: string, parameters: unknown): ParametersCheck {
    const last = this.lastByName.get(name);
    if (last !== undefined && sameJson(last.parameters, parameters)) return last.check;
    const text = JSON.stringify(parameters);
    let check = this.byText.get(text);
    if (check === undefined) {
      if (this.byText.size >= maxCached) this.reset();
      check = this.compile(parameters);
      this.byText.set(text, check);
    }
    this.lastByName.set(name, { parameters, check });
    return check;
  }

  /**
   * The compiled schema of a schema's JSON text, such as the one a `'json'` system prompt
   * declares. The last text is compared first: the lines of a file almost always repeat it.
   */
  fromText(text: string): ParametersCheck {
    if (this.lastText?.text === text) return this.lastText.check;
    let check = this.byText.get(text);
    if (check === undefined) {
      if (this.byText.size >= maxCached) this.reset();
      check = this.compileText(text);
      this.byText.set(text, check);
    }
    this.lastText = { text, check };
    return check;
  }

  private compileText(text: string): ParametersCheck {
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      return { problem: `it is not valid JSON: ${(error as Error).message}` };
    }
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { problem: 'it is not a JSON object' };
    return this.compile(schema);
  }

  private reset(): void {
    this.byText.clear();
    this.lastByName.clear();
    this.lastText = undefined;
    // Ajv keeps every schema it compiled: a new instance lets the old ones be collected.
    this.ajv = undefined;
  }

  private compile(parameters: unknown): ParametersCheck {
    const schema = parameters as Record<string, unknown>;
    const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
    const ajv = (this.ajv ??= instances());
    try {
      if (dialect.includes('2020-12')) return { validate: ajv.draft2020.compile(schema) };
      if (dialect.includes('2019-09')) return { validate: ajv.draft2019.compile(schema) };
      // Older drafts (and none) are read as draft-07, the dialect TypeBox and most tools emit.
      const { $schema: _dialect, ...rest } = schema;
      return { validate: ajv.draft7.compile(rest) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
}

function instances(): { draft7: Ajv; draft2019: Ajv2019; draft2020: Ajv2020 } {
  // addUsedSchema: false, so two functions whose schemas share an `$id` do not collide.
  const options = { strict: false, allErrors: false, addUsedSchema: false, logger: false } as const;
  const draft7 = new Ajv(options);
  const draft2019 = new Ajv2019(options);
  const draft2020 = new Ajv2020(options);
  for (const ajv of [draft7, draft2019, draft2020]) formatsPlugin(ajv as Ajv);
  return { draft7, draft2019, draft2020 };
}

/** Deep equality of two parsed JSON values, key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let keys = 0;
  for (const key in left) {
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
    keys++;
  }
  for (const _key in right) keys--;
  return keys === 0;
}
