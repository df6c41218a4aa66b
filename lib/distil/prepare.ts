import type { TSchema } from '@sinclair/typebox';
import { CaptureError } from '../errors.js';
import { defaultToolDescription, definition, type PromptSpec } from '../prompt/prompt.js';
import { readSignature, type Signature } from '../prompt/signature.js';
import { resolveToolName } from '../schema/name.js';
import { plainSchema } from '../schema/plain.js';
import { ConfigurationError } from '../errors.js';
import { distilDefaults, type DistilOptions } from './options.js';
import type { Report } from './recorder.js';

/** What a wrapper fixes once, at wrapping time. */
export interface Prepared {
  readonly spec: PromptSpec;
  readonly signature: Signature;
}

/** Reads the function and schema into the prompt spec both `distil()` and `swap()` use. */
export function prepare(fn: (...args: never[]) => unknown, schema: TSchema, options: DistilOptions): Prepared {
  if (typeof fn !== 'function') throw new ConfigurationError('fn', `distil() needs a function to wrap, got ${typeof fn}.`);
  if (typeof schema !== 'object' || schema === null) {
    throw new ConfigurationError('schema', `distil() needs a TypeBox schema for the output, got ${String(schema)}.`);
  }
  const name = options.name ?? fn.name;
  if (name === '') {
    throw new ConfigurationError('name', 'The function is anonymous: pass `name`, the name the model will see in `Return <name>(...)`.');
  }
  const signature = readSignature(fn);
  const toolName = resolveToolName(schema, options.toolName);
  const source = options.includeSource ?? distilDefaults.includeSource ? readSource(fn) : undefined;
  const spec: PromptSpec = {
    name,
    definition: definition(name, signature, source, options.description),
    toolName,
    toolDescription: options.toolDescription ?? defaultToolDescription(toolName, schema),
    parameters: plainSchema(schema),
    format: options.format ?? distilDefaults.format,
  };
  if ((spec.format === 'messages' || spec.format === 'tools') && spec.parameters['type'] !== 'object') {
    const root = spec.parameters['type'] === undefined ? 'has no root `type`' : `is of type ${JSON.stringify(spec.parameters['type'])}`;
    throw new ConfigurationError(
      'schema',
      `Format '${spec.format}' declares the output as the parameters of a function call, which must be an object schema (OpenAI refuses any other), but the schema ${root}. ` +
        "Wrap the output in an object (Type.Object({ value: schema }), returning { value }), or use format 'json'.",
    );
  }
  return { spec, signature };
}

/** The function's source for `includeSource`; refused for a function whose source JavaScript does not show. */
function readSource(fn: (...args: never[]) => unknown): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new ConfigurationError(
      'includeSource',
      "`includeSource` needs the function's source, but JavaScript shows only `function () { [native code] }` for it (a bound or built-in function). " +
        'To show the source, wrap the function itself (not fn.bind(...)), or leave `includeSource` off to show its signature.',
    );
  }
  return source;
}

/** Turns capture problems into `CaptureError`s for `onError`, or one process warning by default. */
export function reporter(name: string, onError: DistilOptions['onError']): Report {
  let warned = false;
  return (stage, examples, message, cause) => {
    const error = new CaptureError(stage, name, examples, message, cause === undefined ? undefined : { cause });
    if (onError !== undefined) {
      try {
        onError(error);
      } catch {
        // A throwing handler must not turn a capture problem into a failed call.
      }
      return;
    }
    if (warned) return;
    warned = true;
    process.emitWarning(`${message} (Further capture errors of ${name} are not shown: pass \`onError\` to see each one.)`, {
      type: 'FnDistilWarning',
      code: 'FN_DISTIL_CAPTURE',
    });
  };
}
