import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import Transport from 'winston-transport';
import { convertDataset, distil, validateDataset, type DistilOptions, type ExampleFormat, type SkippedLine } from 'fn-distil';
import { openApiValidator } from '../helpers/openapi';
import { fixtureWriter, linesOf, tempDir } from '../helpers/files';

const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const tmp = tempDir();
afterAll(() => tmp.remove());
const write = fixtureWriter(tmp);
let outputs = 0;

/** A real winston transport that keeps the lines distil() writes. */
class Lines extends Transport {
  readonly lines: string[] = [];
  override log(info: Record<symbol, string>, next: () => void): void {
    this.lines.push(...info[Symbol.for('message')]!.split('\n').filter(Boolean));
    next();
  }
}

const formats = ['messages', 'tools', 'json', 'raw'] as const;
const targets = ['messages', 'tools', 'json'] as const;

const Echo = Type.Object({ text: Type.String(), n: Type.Integer(), tags: Type.Array(Type.String()) }, { $id: 'Echo', description: 'What was said, counted' });
const Bare = Type.Object({ text: Type.String(), n: Type.Integer(), tags: Type.Array(Type.String()) }, { $id: 'Bare' });
type Out = Static<typeof Echo>;
function echo(text: string, n: number, tags: string[]): Out {
  return { text, n, tags };
}

/** The same calls captured by distil() in every format, as each format's lines. */
async function captureAll(schema: TSchema, options: Partial<DistilOptions>, calls: ReadonlyArray<[string, number, string[]]>): Promise<Record<ExampleFormat, string[]>> {
  const out = {} as Record<ExampleFormat, string[]>;
  for (const format of formats) {
    const sink = new Lines();
    const wrapped = distil(echo, schema as typeof Echo, { ...options, format, transports: [sink] });
    for (const call of calls) wrapped(...call);
    await wrapped.close();
    out[format] = sink.lines;
  }
  return out;
}

const calls = fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.integer(), fc.array(fc.string(), { maxLength: 3 })), { minLength: 1, maxLength: 8 });

describe('convertDataset() gives the very line distil() writes in the target format', () => {
  it.each([
    ['a schema with a description', Echo, { name: 'echo_words' }],
    ['a schema without description (the generic tool description)', Bare, {}],
    ['a described function', Echo, { description: 'Echoes what it is told.\n\nLine two, with "quotes" and \\ backslashes.' }],
    ['the function source in the prompt', Echo, { includeSource: true }],
  ] as const)('for %s, from every format to every chat format', async (_case, schema, options) => {
    await fc.assert(
      fc.asyncProperty(calls, async (callList) => {
        const captured = await captureAll(schema, options, callList);
        for (const from of formats) {
          const input = write(captured[from]);
          for (const to of targets) {
            const result = await convertDataset(input, to, { output: tmp.path(`${outputs++}.${to}.jsonl`), toolName: (schema.$id as string) });
            expect(readFileSync(result.output, 'utf8')).toBe(captured[to].map((line) => `${line}\n`).join(''));
            expect(result).toMatchObject({ read: callList.length, written: callList.length, skipped: 0, from: { [from]: callList.length } });
          }
        }
      }),
      { numRuns: 8 },
    );
  });

  it('needs the tool description again for lines that dropped it (json, raw), when distil() was given one', async () => {
    const options = { toolDescription: 'Says it back' };
    const captured = await captureAll(Echo, options, [['hi', 1, []]]);
    const input = write(captured.json);
    const withIt = await convertDataset(input, 'tools', { output: tmp.path('with.jsonl'), ...options });
    expect(linesOf(withIt.output)).toEqual(captured.tools);
    const without = await convertDataset(input, 'tools', { output: tmp.path('without.jsonl') });
    expect(JSON.parse(linesOf(without.output)[0] as string).tools[0].function.description).toBe('What was said, counted');
  });

  it('writes lines OpenAI\'s training-line schema accepts (tools, messages), and plain chat for json', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async (callList) => {
        const captured = await captureAll(Echo, {}, callList);
        for (const to of targets) {
          const result = await convertDataset(write(captured.raw), to, { toolName: 'Echo', output: tmp.path(`${outputs++}.jsonl`) });
          const lines = linesOf(result.output).map((line) => JSON.parse(line) as Record<string, any>);
          lines.forEach((line, i) => {
            if (to === 'json') {
              expect(Object.keys(line)).toEqual(['messages']);
              expect(line.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
              for (const message of line.messages) expect(Object.keys(message)).toEqual(['role', 'content']);
              expect(JSON.parse(line.messages[2].content)).toEqual(echo(...(callList[i] as [string, number, string[]])));
            } else {
              expect(trainingLine(line)).toBe(true);
            }
          });
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('convertDataset() on lines distil() did not write', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const call = (name: string, args: string) => ({ id: 'call_7', type: 'function', function: { name, arguments: args } });
  const declared = (name: string, parameters?: object) => ({ type: 'function', function: { name, description: `The ${name}`, ...(parameters === undefined ? {} : { parameters }) } });

  it('keeps a multi-turn prompt as it is and rewrites only the system prompt and the final answer', async () => {
    const prompt = [
      { role: 'system', content: 'You route trips.' },
      { role: 'user', content: 'I want to go north', name: 'ana' },
      { role: 'assistant', content: 'Which city?', weight: 0 },
      { role: 'user', content: 'Oslo' },
    ];
    const line = { messages: [...prompt, { role: 'assistant', tool_calls: [call('Trip', '{"city":"Oslo"}')] }], tools: [declared('Trip', schema)] };
    const result = await convertDataset(write([JSON.stringify(line)]), 'json');
    const converted = JSON.parse(linesOf(result.output)[0] as string);
    expect(converted.messages.slice(1, 4)).toEqual(prompt.slice(1));
    expect(converted.messages[0].content).toBe(`You route trips.\n\nAnswer with only a JSON object, the Trip, matching this JSON Schema:\n${JSON.stringify(schema)}`);
    expect(converted.messages[4]).toEqual({ role: 'assistant', content: '{"city":"Oslo"}' });

    const back = await convertDataset(result.output, 'tools', { output: tmp.path('back.jsonl') });
    const roundTrip = JSON.parse(linesOf(back.output)[0] as string);
    expect(roundTrip.messages.slice(0, 4)).toEqual(prompt);
    expect(roundTrip.messages[4].tool_calls[0].function).toEqual({ name: 'Trip', arguments: '{"city":"Oslo"}' });
    expect(roundTrip.tools[0].function).toEqual({ name: 'Trip', description: 'Correctly extracted `Trip` with all the required parameters with correct types', parameters: schema });
  });

  it('converts a file of mixed formats and counts each', async () => {
    const captured = await captureAll(Echo, {}, [['a', 1, []], ['b', 2, ['x']]]);
    const input = write([captured.tools[0] as string, captured.raw[1] as string, captured.json[0] as string, captured.messages[1] as string]);
    const result = await convertDataset(input, 'messages', { toolName: 'Echo' });
    expect(result.output).toBe(input.replace(/\.jsonl$/, '.messages.jsonl'));
    expect(linesOf(result.output)).toEqual([captured.messages[0], captured.messages[1], captured.messages[0], captured.messages[1]]);
    expect(result.from).toEqual({ tools: 1, raw: 1, json: 1, messages: 1 });
  });

  it('keeps a declaration without parameters without them, and refuses it --to json', async () => {
    const line = JSON.stringify({ messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', tool_calls: [call('Ping', '{}')] }], tools: [declared('Ping')] });
    const input = write([line]);
    const messages = await convertDataset(input, 'messages');
    expect(JSON.parse(linesOf(messages.output)[0] as string).functions).toEqual([{ name: 'Ping', description: 'The Ping' }]);
    await expect(convertDataset(input, 'json')).rejects.toThrow(/:1: cannot convert the line to json: the function Ping declares no parameters schema/);
  });

  it.each([
    ['a json line whose system prompt carries no schema', 'tools', { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: '{"a":1}' }] }, 'the system prompt carries no JSON Schema'],
    ['a conversation that ends with the user', 'json', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }, { role: 'user', content: 'and?' }] }, "the last message is not the assistant's answer"],
    ['two tool calls in the answer', 'json', { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', tool_calls: [call('Trip', '{}'), call('Trip', '{}')] }], tools: [declared('Trip', schema)] }, 'the answer makes 2 tool calls'],
    ['an earlier tool call in the prompt', 'json', { messages: [{ role: 'system', content: 's' }, { role: 'assistant', tool_calls: [call('Trip', '{}')] }, { role: 'tool', tool_call_id: 'call_7', content: 'ok' }, { role: 'assistant', tool_calls: [call('Trip', '{}')] }], tools: [declared('Trip', schema)] }, 'the prompt holds earlier function or tool calls'],
    ['two declared tools', 'messages', { messages: [{ role: 'user', content: 'u' }, { role: 'assistant', tool_calls: [call('Trip', '{}')] }], tools: [declared('Trip', schema), declared('Hotel', schema)] }, 'the line declares 2 functions'],
    ['a call to an undeclared function', 'json', { messages: [{ role: 'system', content: 's' }, { role: 'assistant', function_call: { name: 'Trip', arguments: '{}' } }], functions: [] }, 'the answer calls Trip, which the line does not declare'],
    ['arguments that are not JSON', 'json', { messages: [{ role: 'system', content: 's' }, { role: 'assistant', tool_calls: [call('Trip', '{city:')] }], tools: [declared('Trip', schema)] }, 'the answer is not valid JSON'],
    ['no system message to carry the schema', 'json', { messages: [{ role: 'user', content: 'u' }, { role: 'assistant', tool_calls: [call('Trip', '{}')] }], tools: [declared('Trip', schema)] }, 'the line has no text system message'],
  ])('refuses %s with its file and line', async (_case, to, line, problem) => {
    const fine = { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', tool_calls: [call('Trip', '{}')] }], tools: [declared('Trip', schema)] };
    const file = write([JSON.stringify(fine), JSON.stringify(line)]);
    const error = await convertDataset(file, to as 'json', { output: tmp.path(`${outputs++}.never.jsonl`) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'DatasetError', file, line: 2 });
    expect((error as Error).message).toContain(`${file}:2: cannot convert the line to ${to}: ${problem}`);
  });

  it('with skipInvalid, converts what it can and reports each line it leaves out', async () => {
    const captured = await captureAll(Echo, {}, [['a', 1, []]]);
    const file = write(['not json', captured.tools[0] as string, '{"messages":[]}', '']);
    const skipped: SkippedLine[] = [];
    const result = await convertDataset(file, 'json', { skipInvalid: true, onSkip: (line) => skipped.push(line) });
    expect(linesOf(result.output)).toEqual(captured.json);
    expect(result).toMatchObject({ read: 3, written: 1, skipped: 2, blank: 1 });
    expect(skipped.map(({ line, reason }) => [line, reason.slice(0, 30)])).toEqual([
      [1, 'the line is not valid JSON (Un'],
      [3, 'cannot convert the line to jso'],
    ]);
  });

  it('asks for the function name of raw lines whose schema has no title, naming the option', async () => {
    const captured = await captureAll(Echo, {}, [['a', 1, []]]);
    const file = write(captured.raw);
    await expect(convertDataset(file, 'tools', { skipInvalid: true })).rejects.toMatchObject({ name: 'ConfigurationError', option: 'toolName', message: expect.stringContaining(`${file}:1:`) });
    await expect(convertDataset(file, 'tools', { toolName: 'not a name' })).rejects.toMatchObject({ option: 'toolName' });
    await expect(convertDataset(file, 'yaml' as 'json')).rejects.toMatchObject({ option: 'to' });
  });
});

/** A json or tools line split before its answer: what `--to prompt-completion` writes for it. */
function split(line: string): string {
  const { messages, ...declared } = JSON.parse(line) as { messages: unknown[] };
  return JSON.stringify({ prompt: messages.slice(0, -1), completion: messages.slice(-1), ...declared });
}

/** A tools line with its tool call's arguments parsed: what `argumentsAs: 'object'` writes for it. */
function objectArguments(line: string): string {
  const value = JSON.parse(line) as { messages: Array<{ tool_calls?: Array<{ function: { arguments: unknown } }> }> };
  const call = value.messages[value.messages.length - 1]?.tool_calls?.[0] as { function: { arguments: unknown } };
  call.function.arguments = JSON.parse(call.function.arguments as string);
  return JSON.stringify(value);
}

describe("convertDataset() to 'prompt-completion', TRL's conversational prompt-completion lines", () => {
  it.each([
    ['a schema with a description', Echo, { name: 'echo_words' }],
    ['a described function', Echo, { description: 'Echoes what it is told.\n\nLine two, with "quotes" and \\ backslashes.' }],
    ['the function source in the prompt', Echo, { includeSource: true }],
  ] as const)('for %s, from every format: the json line split before its answer, or the tools line with --completion tools', async (_case, schema, options) => {
    await fc.assert(
      fc.asyncProperty(calls, async (callList) => {
        const captured = await captureAll(schema, options, callList);
        for (const from of formats) {
          const input = write(captured[from]);
          const json = await convertDataset(input, 'prompt-completion', { output: tmp.path(`${outputs++}.pc.jsonl`), toolName: 'Echo' });
          expect(linesOf(json.output)).toEqual(captured.json.map(split));
          expect(json).toMatchObject({ to: 'prompt-completion', read: callList.length, written: callList.length, from: { [from]: callList.length } });
          const tools = await convertDataset(input, 'prompt-completion', { output: tmp.path(`${outputs++}.pct.jsonl`), toolName: 'Echo', completion: 'tools' });
          expect(linesOf(tools.output)).toEqual(captured.tools.map(split));
          const objects = await convertDataset(input, 'prompt-completion', { output: tmp.path(`${outputs++}.pco.jsonl`), toolName: 'Echo', completion: 'tools', argumentsAs: 'object' });
          expect(linesOf(objects.output)).toEqual(captured.tools.map(objectArguments).map(split));
        }
      }),
      { numRuns: 6 },
    );
  });

  it('holds the system and user messages in prompt and the answer, as the json format writes it, in completion', async () => {
    const captured = await captureAll(Echo, {}, [['hi', 1, ['x']]]);
    const result = await convertDataset(write(captured.messages), 'prompt-completion');
    expect(result.output).toMatch(/\.prompt-completion\.jsonl$/);
    const line = JSON.parse(linesOf(result.output)[0] as string);
    const json = JSON.parse(captured.json[0] as string);
    expect(Object.keys(line)).toEqual(['prompt', 'completion']);
    expect(line.prompt).toEqual(json.messages.slice(0, 2));
    expect(line.prompt.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(line.completion).toEqual([{ role: 'assistant', content: '{"text":"hi","n":1,"tags":["x"]}' }]);
  });

  it('round-trips any JSON answer: the completion parses back to the value, and object arguments are that value', async () => {
    // Raw lines carry any value as resp; the schema {} with a title accepts them all.
    const answer = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 6 }), async (answers) => {
        const raw = answers.map((resp, i) => JSON.stringify({ fn_name: 'f', fn_repr: 'f(i)', args: [i], resp, schema: { title: 'Any' } }));
        const input = write(raw);
        const json = await convertDataset(input, 'prompt-completion', { output: tmp.path(`${outputs++}.out.jsonl`) });
        const tools = await convertDataset(input, 'prompt-completion', { output: tmp.path(`${outputs++}.out.jsonl`), completion: 'tools', argumentsAs: 'object' });
        linesOf(json.output).forEach((text, i) => {
          const line = JSON.parse(text);
          expect(JSON.parse(line.completion[0].content)).toEqual(answers[i]);
          expect(line.completion[0].content).toBe(JSON.stringify(answers[i]));
          const call = JSON.parse(linesOf(tools.output)[i] as string).completion[0].tool_calls[0].function;
          expect(call.arguments).toEqual(answers[i]);
          // The object serializes to the very bytes of the json answer: only the quoting differs.
          expect(JSON.stringify(call.arguments)).toBe(line.completion[0].content);
        });
      }),
      { numRuns: 30 },
    );
  });

  it("writes tools lines with object arguments on request, which OpenAI's training-line schema refuses (it needs a string)", async () => {
    const captured = await captureAll(Echo, {}, [['a', 1, []]]);
    const result = await convertDataset(write(captured.json), 'tools', { argumentsAs: 'object', output: tmp.path(`${outputs++}.out.jsonl`) });
    expect(linesOf(result.output)).toEqual(captured.tools.map(objectArguments));
    expect(trainingLine(JSON.parse(captured.tools[0] as string))).toBe(true);
    expect(trainingLine(JSON.parse(linesOf(result.output)[0] as string))).toBe(false);
    const strings = await convertDataset(write(captured.json), 'tools', { argumentsAs: 'string', output: tmp.path(`${outputs++}.out.jsonl`) });
    expect(linesOf(strings.output)).toEqual(captured.tools);
  });

  it.each([
    ['json', { argumentsAs: 'object' }, 'argumentsAs', "but json lines have no tool calls"],
    ['messages', { argumentsAs: 'object' }, 'argumentsAs', 'but messages lines have no tool calls'],
    ['prompt-completion', { argumentsAs: 'object' }, 'argumentsAs', "unless `completion` is 'tools'"],
    ['tools', { completion: 'tools' }, 'completion', 'converting to tools, leave it out'],
    ['prompt-completion', { completion: 'xml' }, 'completion', "use 'json' or 'tools'"],
    ['tools', { argumentsAs: 'yaml' }, 'argumentsAs', "use 'string' or 'object'"],
  ] as const)('refuses --to %s with %j before reading, naming the option', async (to, options, option, message) => {
    await expect(convertDataset(tmp.path('never-read.jsonl'), to, options as object)).rejects.toMatchObject({ name: 'ConfigurationError', option, message: expect.stringContaining(message) });
  });

  it('writes lines validate finds no error in, and validate finds the one answer a schema refuses', async () => {
    await fc.assert(
      fc.asyncProperty(calls, fc.nat(), async (callList, pick) => {
        const captured = await captureAll(Echo, {}, callList);
        for (const [completion, argumentsAs] of [['json', 'string'], ['tools', 'string'], ['tools', 'object']] as const) {
          const result = await convertDataset(write(captured.raw), 'prompt-completion', { toolName: 'Echo', completion, argumentsAs, output: tmp.path(`${outputs++}.valid.jsonl`) });
          const report = await validateDataset([result.output], { minExamples: 1, threads: 1 });
          expect(report).toMatchObject({ ok: true, examples: callList.length, errors: [], counts: { prompt_completion: 1 } });
          expect(report.warnings.map(({ check }) => check).filter((check) => check !== 'duplicate_example')).toEqual(['prompt_completion']);
        }
        // One answer made schema-invalid: n is no longer an integer.
        const bad = pick % callList.length;
        const lines = captured.json.map((line, i) => (i === bad ? line.replace(/\\"n\\":(-?\d+)/, '\\"n\\":\\"$1\\"') : line));
        const json = await validateDataset([write(lines)], { minExamples: 1, threads: 1 });
        expect(json.errors.map(({ line, check, message }) => [line, check, message])).toEqual([[bad + 1, 'answer_mismatch', 'messages[2].content does not match the JSON Schema of "Echo" in the system prompt: /n must be integer.']]);
        const converted = await convertDataset(write(lines), 'prompt-completion', { output: tmp.path(`${outputs++}.invalid.jsonl`) });
        const trl = await validateDataset([converted.output], { minExamples: 1, threads: 1 });
        expect(trl.errors.map(({ line, message }) => [line, message])).toEqual([[bad + 1, 'completion[0].content does not match the JSON Schema of "Echo" in the system prompt: /n must be integer.']]);
      }),
      { numRuns: 8 },
    );
  });

  it('says a prompt-completion line is not one it reads, with its line', async () => {
    const captured = await captureAll(Echo, {}, [['a', 1, []]]);
    const result = await convertDataset(write(captured.json), 'prompt-completion', { output: tmp.path(`${outputs++}.out.jsonl`) });
    await expect(convertDataset(result.output, 'json', { output: tmp.path(`${outputs++}.out.jsonl`) })).rejects.toThrow(/:1: cannot convert the line to json: it is a prompt-completion line; convert reads the formats distil\(\) writes/);
  });
});
