import type { TSchema } from '@sinclair/typebox';
import type { CaptureStage } from '../errors.js';
import { findUnserializable } from '../capture/serialize.js';
import type { Sink } from '../capture/sink.js';
import type { ExampleBuilder } from '../formats/index.js';
import { compileRenderer } from '../formats/template.js';
import type { Example } from '../formats/types.js';
import { serializationThrew, type SerializedCall, type UnserializableCall } from '../prompt/call.js';
import type { PromptSpec } from '../prompt/prompt.js';
import type { CompiledValidator } from '../validation/validator.js';
import { redactedLineChecker } from './redacted.js';

export type Report = (stage: CaptureStage, examples: number, message: string, cause?: unknown) => void;

/**
 * Turns one call into one line and hands it to the sink; never throws. The arguments were
 * serialized before the function ran, so a function that changes its inputs (sorting an array
 * in place) is recorded with the inputs it was given.
 */
export type Recorder = (call: SerializedCall | UnserializableCall, output: unknown) => void;

export function createRecorder(
  spec: PromptSpec,
  build: ExampleBuilder,
  redact: ((example: Example) => Example | undefined) | undefined,
  validator: CompiledValidator<TSchema>,
  sink: Sink,
  owner: number,
  report: Report,
): Recorder {
  const render = compileRenderer(build, spec);
  const checkRedacted = redact === undefined ? undefined : redactedLineChecker(spec.format, validator);

  const fail = (stage: CaptureStage, what: string, cause?: unknown): void =>
    report(stage, 1, `An example of ${spec.name} was not recorded: ${what}. The call itself returned normally; only this example is missing.`, cause);

  const serialize = (value: unknown, what: string): string | undefined => {
    let json: string | undefined;
    try {
      const problem = findUnserializable(value);
      if (problem !== undefined) {
        fail('serialize', `${what}${problem.path === '' ? '' : ` at ${problem.path}`} is ${problem.reason}, which JSON cannot carry: ${problem.fix}`);
        return undefined;
      }
      json = JSON.stringify(value);
    } catch (cause) {
      fail('serialize', serializationThrew(what, cause), cause);
      return undefined;
    }
    if (json === undefined) fail('serialize', `${what} serializes to nothing (its toJSON returned undefined): make toJSON() return the data to record`);
    return json;
  };

  return (call, output) => {
    try {
      if ('problem' in call) {
        fail('serialize', call.problem, call.cause);
        return;
      }
      const { user, argsJson } = call;
      const outputJson = serialize(output, 'the output');
      if (outputJson === undefined) return;
      if (redact === undefined) {
        sink.write(render(user, outputJson, argsJson), owner);
        return;
      }
      // The hook gets fresh copies, so nothing it changes reaches the caller's values.
      const example = build(spec, {
        user,
        output: outputJson,
        args: JSON.parse(`[${argsJson.join(',')}]`) as unknown[],
        resp: JSON.parse(outputJson),
      });
      let redacted: Example | undefined;
      try {
        redacted = redact(example);
      } catch (cause) {
        fail('redact', `the \`redact\` hook threw (${(cause as Error)?.message ?? String(cause)}): fix the hook, or return undefined from it to drop an example on purpose`, cause);
        return;
      }
      if (redacted === undefined) return;
      if (typeof redacted !== 'object' || redacted === null || Array.isArray(redacted)) {
        const what = redacted === null ? 'null' : Array.isArray(redacted) ? 'an array' : typeof redacted;
        fail('redact', `the \`redact\` hook returned ${what}; return the example or undefined`);
        return;
      }
      const line = serialize(redacted, 'the example returned by `redact`');
      if (line === undefined) return;
      const problem = checkRedacted?.(line);
      if (problem !== undefined) {
        fail('redact', `the example returned by \`redact\` was refused: ${problem}; return the example with its shape intact (change values, not structure), or undefined to drop it`);
        return;
      }
      sink.write(line, owner);
    } catch (cause) {
      fail('serialize', `serializing it threw (${(cause as Error)?.message ?? String(cause)}): pass and return plain data, or make the toJSON() or getter that threw return it`, cause);
    }
  };
}
