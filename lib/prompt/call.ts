import { findUnserializable } from '../capture/serialize.js';
import { userContent, type PromptSpec } from './prompt.js';
import type { Signature } from './signature.js';

/** One call as the model sees it: each recorded argument as JSON, and the user message. */
export interface SerializedCall {
  readonly argsJson: readonly string[];
  readonly user: string;
}

/** Why a call's arguments cannot be put in a prompt. */
export interface UnserializableCall {
  readonly problem: string;
  /** What serializing threw, if it threw. */
  readonly cause?: unknown;
}

/**
 * Serializes the arguments a call records: the declared parameters only (a callback gets
 * arguments it never declared, such as map's index and array), all of them for a rest
 * parameter, and trailing `undefined`s dropped (the same call as leaving them out). Training
 * (`distil`) and serving (`swap`) both use this, so their user messages are byte-identical.
 * Never throws: whatever goes wrong is returned as the problem.
 */
export function serializeCall(spec: PromptSpec, signature: Signature, args: ArrayLike<unknown>): SerializedCall | UnserializableCall {
  const all = signature.rest !== undefined || signature.variadic === true;
  let count = all ? args.length : Math.min(args.length, signature.params.length);
  while (count > 0 && args[count - 1] === undefined) count--;
  const argsJson = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const label = `argument ${i + 1} (${signature.params[i] ?? signature.rest ?? `arg${i}`})`;
    let json: string | undefined;
    // A getter, a toJSON or a Proxy trap may throw, and very deep data overflows the stack:
    // the caller's call must go on regardless, so any of these becomes a problem to report.
    try {
      const found = findUnserializable(args[i]);
      if (found !== undefined) {
        const where = found.path === '' ? '' : ` at ${found.path}`;
        return { problem: `${label}${where} is ${found.reason}, which JSON cannot carry: ${found.fix}` };
      }
      json = JSON.stringify(args[i]);
    } catch (cause) {
      return { problem: serializationThrew(label, cause), cause };
    }
    if (json === undefined) return { problem: `argument ${i + 1} serializes to nothing (its toJSON returned undefined): make toJSON() return the data to record` };
    argsJson[i] = json;
  }
  return { argsJson, user: userContent(spec.name, argsJson) };
}

/** What to say when serializing `what` threw `cause`. */
export function serializationThrew(what: string, cause: unknown): string {
  const message = String((cause as Error | undefined)?.message ?? cause).replace(/\.$/, '');
  if (cause instanceof RangeError && /call stack/i.test(message)) {
    return `${what} is nested too deeply to serialize (${message}): pass flatter data, or give the object a toJSON() method that returns a summary`;
  }
  return `${what} could not be serialized: ${message}. Pass plain data, or fix the toJSON() or getter that threw`;
}
