import type { TSchema } from '@sinclair/typebox';
import { isError, IssueLog } from '../dataset/issues.js';
import { checkLine } from '../dataset/line-checks.js';
import { ParameterValidators } from '../dataset/parameters.js';
import { describe, isObject } from '../dataset/values.js';
import type { ExampleFormat } from '../formats/types.js';
import type { CompiledValidator } from '../validation/validator.js';

type Json = Readonly<Record<string, unknown>>;

const rawKeys = ['fn_name', 'fn_repr', 'args', 'resp', 'schema'] as const;
// A few of each check are enough to say what is wrong with one line.
const issuesShown = 3;

/**
 * Checks a line built from what `redact` returned, before it is written: a chat line must pass
 * the same per-line checks as `fn-distil dataset validate` (no error; warnings such as a missing
 * system message are allowed, as validate allows them), with its answer where the format puts
 * it; a raw line must have exactly the raw keys, with their types. In both, the answer must
 * still match the wrapper's schema. Returns what is wrong, or `undefined`. Only redacted lines
 * pay for this: a line built by fn-distil itself is valid by construction.
 */
export function redactedLineChecker(format: ExampleFormat, validator: CompiledValidator<TSchema>): (line: string) => string | undefined {
  let validators: ParameterValidators | undefined;
  const answerProblem = (answer: unknown, what: string): string | undefined => {
    if (validator.check(answer)) return undefined;
    const issues = validator.issues().map((issue) => (issue.path === '' ? issue.message : `${issue.path} ${issue.message}`));
    return `${what} does not match the schema: ${issues.join('; ')}`;
  };

  return (line) => {
    const value: unknown = JSON.parse(line);
    if (!isObject(value)) return `it is ${describe(value)}, not an example object`;
    if (format === 'raw') return rawProblem(value) ?? answerProblem(value['resp'], 'its answer (resp)');
    const log = new IssueLog(issuesShown);
    checkLine(value, log, (validators ??= new ParameterValidators()));
    const errors = log.issues.filter(isError);
    if (errors.length > 0) return `it is not a valid '${format}' line (\`fn-distil dataset validate\` would refuse it): ${errors.map((issue) => issue.message.replace(/\.$/, '')).join('; ')}`;
    const answer = chatAnswer(value, format);
    if ('problem' in answer) return answer.problem;
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch (error) {
      return `its answer is not JSON (${(error as Error).message})`;
    }
    return answerProblem(parsed, 'its answer');
  };
}

/** What is wrong with a raw line's keys, or `undefined`. */
function rawProblem(value: Json): string | undefined {
  const start = "it is not a valid 'raw' line:";
  for (const key in value) {
    if (!(rawKeys as readonly string[]).includes(key)) return `${start} it has the key ${JSON.stringify(key)}; a raw line has fn_name, fn_repr, args, resp and schema`;
  }
  for (const key of ['fn_name', 'fn_repr'] as const) {
    if (typeof value[key] !== 'string') return `${start} its ${key} is ${describe(value[key])}, not a string`;
  }
  if (!Array.isArray(value['args'])) return `${start} its args is ${describe(value['args'])}, not a list`;
  if (!('resp' in value)) return `${start} it has no resp`;
  if (!isObject(value['schema'])) return `${start} its schema is ${describe(value['schema'])}, not a JSON Schema object`;
  return undefined;
}

/** The answer of a chat line (its last message) as JSON text, where `format` puts it. */
function chatAnswer(value: Json, format: Exclude<ExampleFormat, 'raw'>): { readonly text: string } | { readonly problem: string } {
  // checkLine found no error: messages is a non-empty list of message objects.
  const messages = value['messages'] as readonly Json[];
  const last = messages[messages.length - 1] as Json;
  if (last['role'] !== 'assistant') return { problem: `its last message (role ${describe(last['role'])}) is not the assistant's answer` };
  if (format === 'messages') {
    const call = last['function_call'];
    return isObject(call) ? { text: call['arguments'] as string } : { problem: "its answer is not a function_call, where format 'messages' puts it" };
  }
  if (format === 'tools') {
    const calls = last['tool_calls'];
    if (!Array.isArray(calls) || calls.length !== 1) return { problem: "its answer is not a tool call, where format 'tools' puts it (exactly one)" };
    return { text: ((calls[0] as Json)['function'] as Json)['arguments'] as string };
  }
  const content = last['content'];
  return typeof content === 'string' ? { text: content } : { problem: "its answer is not the assistant's text content, where format 'json' puts it" };
}
