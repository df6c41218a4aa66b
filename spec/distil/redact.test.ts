import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import winston from 'winston';
import { distil, validateDataset, type CaptureError, type ChatExample, type Example, type ExampleFormat, type RawExample } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);

/** Wraps multiply with `redact`, makes one call, closes, and returns what was written and reported. */
async function redactOnce(format: ExampleFormat, redact: (example: Example) => Example | undefined): Promise<{ lines: unknown[]; errors: CaptureError[]; filename: string }> {
  const filename = file();
  const errors: CaptureError[] = [];
  const f = distil(multiplyImpl, Multiply, {
    name: 'multiply',
    format,
    redact: redact as never,
    onError: (error) => errors.push(error),
    transports: [new winston.transports.File({ filename })],
  });
  expect(f(2, 3)).toEqual({ a: 2, b: 3, result: 6 });
  await f.close();
  return { lines: readJsonLines(filename), errors, filename };
}

const chat = (edit: (example: ChatExample) => unknown) => (example: Example) => edit(example as ChatExample) as Example;
const raw = (edit: (example: RawExample) => unknown) => (example: Example) => edit(example as RawExample) as Example;
const answerOf = (example: ChatExample) => example.messages[2] as Record<string, any>;

describe('an example returned by redact is checked before it is written', () => {
  it.each<[string, ExampleFormat, (example: Example) => Example | undefined, RegExp]>([
    ['an empty message list', 'messages', chat(() => ({ messages: [] })), /is not a valid 'messages' line.*"messages" is an empty list; it must be a non-empty list of messages/],
    ['no assistant message', 'tools', chat((e) => ({ ...e, messages: e.messages.slice(0, 2) })), /is not a valid 'tools' line.*no assistant message/],
    ['a message with an unknown role', 'json', chat((e) => ({ ...e, messages: [{ role: 'developer', content: 'x' }, ...e.messages.slice(1)] })), /messages\[0\] has role "developer"/],
    ['an answer its declared parameters refuse', 'messages', chat((e) => { answerOf(e)['function_call'].arguments = '{"a":2,"b":3,"result":"six"}'; return e; }), /is not a valid 'messages' line.*messages\[2\]\.function_call\.arguments does not match the parameters of "Multiply": \/result must be integer; return/],
    ['a tool call answer its declared parameters refuse', 'tools', chat((e) => { answerOf(e)['tool_calls'][0].function.arguments = '{"a":2}'; return e; }), /messages\[2\]\.tool_calls\[0\]\.function\.arguments does not match the parameters of "Multiply": \(root\) must have required property 'b'/],
    ['an answer that fits parameters the hook loosened, but not the schema', 'tools', chat((e) => { e.tools![0]!.function.parameters = {}; answerOf(e)['tool_calls'][0].function.arguments = '{"a":2}'; return e; }), /its answer does not match the schema: must have required property 'b'/],
    ['an answer that fits functions the hook dropped, but not the schema', 'messages', chat(({ functions: _functions, ...e }) => { answerOf(e as ChatExample)['function_call'].arguments = '{}'; return e; }), /calls "Multiply", which the line does not declare in "functions"/],
    ['a JSON answer that is not JSON', 'json', chat((e) => { answerOf(e)['content'] = 'six'; return e; }), /its answer is not JSON \(/],
    ['a JSON answer the schema refuses', 'json', chat((e) => { answerOf(e)['content'] = '{"a":2,"b":3}'; return e; }), /its answer does not match the schema: must have required property 'result'/],
    ['the answer moved out of the shape of its format', 'tools', chat((e) => ({ ...e, messages: [...e.messages.slice(0, 2), { role: 'assistant', content: '{"a":2,"b":3,"result":6}' }] })), /its answer is not a tool call, where format 'tools' puts it/],
    ['a raw line with a key raw lines do not have', 'raw', raw((e) => ({ ...e, note: 'x' })), /is not a valid 'raw' line: it has the key "note"; a raw line has fn_name, fn_repr, args, resp and schema/],
    ['a raw line without fn_name', 'raw', raw(({ fn_name: _name, ...rest }) => rest), /is not a valid 'raw' line: its fn_name is missing, not a string/],
    ['a raw line whose args are not a list', 'raw', raw((e) => ({ ...e, args: 'x' })), /its args is "x", not a list/],
    ['a raw line whose resp the schema refuses', 'raw', raw((e) => ({ ...e, resp: { a: 2 } })), /its answer \(resp\) does not match the schema: must have required property 'b'/],
  ])('%s is reported at stage redact and not written; the call returns as usual', async (_label, format, redact, message) => {
    const { lines, errors } = await redactOnce(format, redact);
    expect(lines).toEqual([]);
    expect(errors.map((error) => [error.stage, error.examples, error.functionName])).toEqual([['redact', 1, 'multiply']]);
    expect(errors[0]!.message).toMatch(message);
    expect(errors[0]!.message).toContain('return the example with its shape intact (change values, not structure), or undefined to drop it');
  });

  it.each<[string, ExampleFormat, (example: Example) => Example | undefined]>([
    ['a scrubbed user message', 'messages', chat((e) => ({ ...e, messages: e.messages.map((m) => (m.role === 'user' ? { ...m, content: 'Return multiply(<a>, <b>)' } : m)) }))],
    ['a dropped system message (a warning for validate, not an error)', 'tools', chat((e) => ({ ...e, messages: e.messages.slice(1) }))],
    ['a changed answer the schema still allows', 'json', chat((e) => { answerOf(e)['content'] = '{"a":0,"b":0,"result":0}'; return e; })],
    ['scrubbed raw arguments', 'raw', raw((e) => ({ ...e, args: ['<redacted>', 3] }))],
  ])('%s is written', async (_label, format, redact) => {
    const { lines, errors, filename } = await redactOnce(format, redact);
    expect(errors).toEqual([]);
    expect(lines).toHaveLength(1);
    if (format !== 'raw') expect((await validateDataset([filename], { minExamples: 1, threads: 1 })).errors).toEqual([]);
  });

  it('whatever redact changes, every line written passes dataset validate with an answer the schema accepts, and every other example is reported', async () => {
    /** Every path into a JSON value: keys of objects and indexes of arrays. */
    const paths = (value: unknown, at: Array<string | number> = []): Array<Array<string | number>> => {
      if (typeof value !== 'object' || value === null) return [at];
      const keys: Array<string | number> = Array.isArray(value) ? value.map((_v, i) => i) : Object.keys(value);
      return [at, ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...at, key]))];
    };
    const edit = fc.record({
      format: fc.constantFrom<ExampleFormat>('messages', 'tools', 'json', 'raw'),
      changes: fc.array(
        fc.record({
          at: fc.nat(),
          remove: fc.boolean(),
          value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('{"a":1,"b":1,"result":1}', '{"a":1}', 'assistant', 'function', 'call_0', 'Multiply', [], {})),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(edit, async ({ format, changes }) => {
        const redact = (example: Example): Example => {
          const copy = JSON.parse(JSON.stringify(example)) as Record<string, unknown>;
          for (const change of changes) {
            const all = paths(copy).filter((path) => path.length > 0);
            const path = all[change.at % all.length]!;
            const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
            const key = path[path.length - 1]!;
            if (change.remove && !Array.isArray(parent)) delete parent[key];
            else parent[key] = change.value;
          }
          return copy as unknown as Example;
        };
        const { lines, errors, filename } = await redactOnce(format, redact);
        expect(lines.length + errors.length).toBe(1);
        expect(errors.every((error) => error.stage === 'redact')).toBe(true);
        if (lines.length === 0) return;
        const line = lines[0] as Record<string, any>;
        if (format === 'raw') {
          expect(Object.keys(line).sort()).toEqual(['args', 'fn_name', 'fn_repr', 'resp', 'schema']);
          expect(Value.Check(Multiply, line['resp'])).toBe(true);
          return;
        }
        expect((await validateDataset([filename], { minExamples: 1, threads: 1 })).errors).toEqual([]);
        const answer = line['messages'].at(-1);
        const text = format === 'messages' ? answer.function_call.arguments : format === 'tools' ? answer.tool_calls[0].function.arguments : answer.content;
        expect(Value.Check(Multiply, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
