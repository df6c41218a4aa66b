import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { validateDataset, type DatasetReport } from 'fn-distil';
import { datasetChecks, type CheckId } from '../../lib/dataset/checks';
import { tempDir } from '../helpers/files';
import { openApiValidator } from '../helpers/openapi';
import { functions, functionsLine, multiplyParameters, system, tools, toolsLine, writeLines } from '../helpers/training-lines';

const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const tmp = tempDir();
afterAll(() => tmp.remove());

const at = 4;
const user = { role: 'user', content: 'Return multiply(3, 7)' };
const call = (fn: Record<string, unknown>) => ({ role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: fn }] });
const answer = call({ name: 'multiply', arguments: '{"a":3,"b":7,"result":21}' });
// A 'json'-format system prompt, as distil() writes it: the schema of the answer at its end.
const jsonSystem = { role: 'system', content: `${system.content}\n\nAnswer with only a JSON object, the Multiply, matching this JSON Schema:\n${JSON.stringify(multiplyParameters)}` };
const jsonLine = (content: string) => ({ messages: [jsonSystem, user, { role: 'assistant', content }] });

/** Twelve good lines with `bad` as line 4; the report of validating it. */
async function validateWith(bad: unknown, options: Parameters<typeof validateDataset>[1] = {}): Promise<DatasetReport> {
  const lines = Array.from({ length: 12 }, (_, i) => (i === at - 1 ? bad : toolsLine(100 + i)));
  return validateDataset([writeLines(tmp.path(`${Math.random()}.jsonl`), lines)], options);
}

const issuesOf = (report: DatasetReport) => [...report.errors, ...report.warnings].map(({ line, check }) => ({ line, check }));

// One line that breaks each per-line check (and, where noted, another check it cannot help breaking).
const cases: ReadonlyArray<[CheckId, unknown, CheckId[]?]> = [
  ['invalid_json', '{"messages": [{"role": "user", "content": "hi"}'],
  ['not_an_object', '[1, 2]'],
  ['invalid_messages', { messages: [], tools }],
  ['invalid_message', { messages: [system, user, 'hello', answer], tools }],
  ['invalid_role', { messages: [system, user, { role: 'developer', content: 'Be brief.' }, answer], tools }],
  ['invalid_content', { messages: [system, { role: 'user', content: 42 }, answer], tools }],
  ['invalid_field', { messages: [system, { ...user, name: 5 }, answer], tools }],
  ['invalid_weight', { messages: [system, user, { ...answer, weight: 2 }], tools }],
  ['invalid_tool_call', { messages: [system, user, { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'tool', function: { name: 'multiply', arguments: '{"a":3,"b":7,"result":21}' } }] }], tools }],
  ['invalid_function_call', { messages: [system, user, { role: 'assistant', function_call: { name: 'multiply' } }], functions }],
  ['invalid_tools', { messages: [system, user, answer], tools: [...tools, { type: 'retrieval' }] }],
  ['invalid_functions', { messages: [system, user, { role: 'assistant', function_call: { name: 'multiply', arguments: '{"a":3,"b":7,"result":21}' } }], functions: [...functions, { name: 5 }] }],
  ['missing_messages', { tools }],
  ['unknown_key', { messages: [system, { ...user, timestamp: 1700000000 }, answer], tools }],
  ['no_assistant_message', { messages: [system, user], tools }],
  ['missing_content', { messages: [system, user, { role: 'assistant', content: '' }], tools }],
  ['undeclared_function', { messages: [system, user, call({ name: 'divide', arguments: '{"a":3,"b":7}' })], tools }],
  ['invalid_arguments', { messages: [system, user, call({ name: 'multiply', arguments: '{a: 3}' })], tools }],
  ['arguments_mismatch', { messages: [system, user, call({ name: 'multiply', arguments: '{"a":"3","b":7,"result":21}' })], tools }],
  ['invalid_parameters', { messages: [system, user, answer], tools: [{ type: 'function', function: { name: 'multiply', parameters: { type: 'object', properties: { a: { type: 'nope' } } } } }] }],
  ['invalid_answer', jsonLine('twenty-one')],
  ['answer_mismatch', jsonLine('{"a":3,"b":7,"result":"21"}')],
  ['no_system_message', { messages: [user, answer], tools }],
  ['no_user_message', { messages: [system, answer], tools }],
  ['unknown_line_key', { ...toolsLine(3), metadata: { source: 'prod' } }],
  ['blank_line', '   '],
];

describe('each check of validateDataset', () => {
  it.each(cases)('%s fires on the line that breaks it, and only there', async (check, bad, also = []) => {
    const report = await validateWith(bad);
    expect(issuesOf(report)).toEqual([check, ...also].map((id) => ({ line: at, check: id })));
    const issue = [...report.errors, ...report.warnings][0];
    expect(issue?.file).toBe(report.files[0]);
    expect(issue?.message.length).toBeGreaterThan(20);
    expect(report.ok).toBe(datasetChecks[check].severity !== 'error');
  });

  it('covers every per-line check in the catalogue', () => {
    // Tested on their own: whole-file checks, and line_too_long (under a low limit: spec/cli/dataset-long-lines.test.ts).
    const fileLevel: CheckId[] = ['too_few_examples', 'duplicate_example', 'too_many_tokens', 'byte_order_mark', 'line_too_long', 'prompt_completion'];
    expect(new Set([...cases.map(([check]) => check), ...fileLevel])).toEqual(new Set(Object.keys(datasetChecks)));
  });

  it.each(cases.filter(([check]) => datasetChecks[check].kind === 'structural' && check !== 'invalid_json'))(
    'structural check %s only flags lines OpenAI\'s schema rejects too',
    (_check, bad) => {
      expect(trainingLine(typeof bad === 'string' ? JSON.parse(bad) : bad)).toBe(false);
    },
  );

  it.each(cases.filter(([check]) => datasetChecks[check].kind === 'semantic' && check !== 'blank_line'))(
    'semantic check %s flags lines OpenAI\'s schema accepts: the schema alone would miss them',
    (_check, bad) => {
      expect(trainingLine(bad)).toBe(true);
    },
  );

  it('points out a byte order mark, the invisible reason a line in the middle of a file is not JSON', async () => {
    const report = await validateWith(`\uFEFF${JSON.stringify(toolsLine(3))}`);
    expect(report.errors[0]?.message).toContain('the line starts with a byte order mark: save the file as UTF-8 without BOM');
  });

  it('a byte order mark at the start of a file is a warning on line 1, and the line behind it is checked as any other', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify(toolsLine(i)));
    const clean = await validateDataset([writeLines(tmp.path('bom-good.jsonl'), [`\uFEFF${lines[0]}`, ...lines.slice(1)])]);
    expect(clean).toMatchObject({ ok: true, examples: 12, errors: [], counts: { byte_order_mark: 1 } });
    expect(clean.warnings).toEqual([{ file: clean.files[0], line: 1, check: 'byte_order_mark', message: expect.stringContaining('save the file as UTF-8 without BOM') }]);
    const broken = await validateDataset([writeLines(tmp.path('bom-bad.jsonl'), ['\uFEFF{"messages": [', ...lines.slice(1), lines[1]])]);
    expect(issuesOf(broken)).toEqual([
      { line: 1, check: 'invalid_json' },
      { line: 1, check: 'byte_order_mark' },
      { line: 13, check: 'duplicate_example' },
    ]);
  });

  it('names the message and call at fault and what the parameters schema says', async () => {
    const report = await validateWith({ messages: [system, user, call({ name: 'multiply', arguments: '{"a":3,"b":7}' })], tools });
    expect(report.errors[0]?.message).toBe('messages[2].tool_calls[0].function.arguments does not match the parameters of "multiply": (root) must have required property \'result\'.');
  });

  it('checks function_call arguments against the declared functions', async () => {
    const report = await validateWith({ messages: [system, user, { role: 'assistant', function_call: { name: 'multiply', arguments: '{"a":3,"b":7,"result":21.5}' } }], functions });
    expect(issuesOf(report)).toEqual([{ line: at, check: 'arguments_mismatch' }]);
    expect(report.errors[0]?.message).toContain('/result must be integer');
  });

  it('accepts the good lines of every format: no issue at all', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? toolsLine(i) : functionsLine(i)));
    const report = await validateDataset([writeLines(tmp.path('good.jsonl'), lines)]);
    expect(report).toMatchObject({ ok: true, examples: 12, errors: [], warnings: [], counts: {}, omitted: 0 });
  });
});

describe("the answer of a 'json' line, against the schema in its system prompt", () => {
  it('names the message, the schema and the Ajv path at fault', async () => {
    const report = await validateWith(jsonLine('{"a":3,"b":7,"result":21.5}'));
    expect(report.errors).toEqual([{ file: report.files[0], line: at, check: 'answer_mismatch', message: 'messages[2].content does not match the JSON Schema of "Multiply" in the system prompt: /result must be integer.' }]);
    const extra = await validateWith(jsonLine('{"a":3,"b":7,"result":21,"note":"x"}'));
    expect(extra.errors[0]?.message).toBe('messages[2].content does not match the JSON Schema of "Multiply" in the system prompt: (root) must NOT have additional properties.');
    const notJson = await validateWith(jsonLine('21'.concat(' and more')));
    expect(notJson.errors[0]?.message).toMatch(/^messages\[2\]\.content is not valid JSON \(.+\), but the system prompt asks for a JSON "Multiply" matching its schema\.$/);
  });

  it('accepts good answers, and leaves alone plain chat without a declared schema and answers that are calls', async () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => jsonLine(JSON.stringify({ a: i, b: 7, result: i * 7 }))),
      { messages: [system, user, { role: 'assistant', content: 'twenty-one' }] },
      { messages: [jsonSystem, user, { role: 'assistant', content: '{"wrong":1}' }, user, { role: 'assistant', content: '{"a":3,"b":7,"result":21}' }] },
      { messages: [jsonSystem, user, answer], tools },
    ];
    const report = await validateDataset([writeLines(tmp.path('json-good.jsonl'), lines)]);
    expect(report).toMatchObject({ ok: true, examples: 13, errors: [], warnings: [] });
  });

  it('a schema in the system prompt that does not compile is invalid_parameters, with the name it gives', async () => {
    const broken = { role: 'system', content: jsonSystem.content.replace('"integer"', '"int"') };
    const report = await validateWith({ messages: [broken, user, { role: 'assistant', content: '{}' }] });
    expect(issuesOf(report)).toEqual([{ line: at, check: 'invalid_parameters' }]);
    expect(report.errors[0]?.message).toMatch(/^the JSON Schema of "Multiply" in the system prompt is not one that compiles \(.*\), so the answer cannot be checked\.$/);
  });

  it('checks every line against its own schema: two functions in one file', async () => {
    const other = { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] };
    const otherSystem = { role: 'system', content: `Say it.\n\nAnswer with only a JSON object, the Word, matching this JSON Schema:\n${JSON.stringify(other)}` };
    const lines = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? jsonLine(i === 6 ? '{"word":"x"}' : '{"a":3,"b":7,"result":21}') : { messages: [otherSystem, user, { role: 'assistant', content: i === 7 ? '{"a":3}' : '{"word":"x"}' }] },
    );
    const report = await validateDataset([writeLines(tmp.path('two-schemas.jsonl'), lines)]);
    expect(report.errors.map(({ line, message }) => [line, message])).toEqual([
      [7, 'messages[2].content does not match the JSON Schema of "Multiply" in the system prompt: (root) must have required property \'a\'.'],
      [8, 'messages[2].content does not match the JSON Schema of "Word" in the system prompt: (root) must have required property \'word\'.'],
    ]);
  });
});

describe("TRL's conversational prompt-completion lines", () => {
  const split = (line: Record<string, unknown>) => {
    const { messages, ...rest } = line as { messages: unknown[] };
    return { prompt: messages.slice(0, -1), completion: messages.slice(-1), ...rest };
  };
  const objectArguments = (a: number) => ({ role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'multiply', arguments: { a, b: 7, result: a * 7 } } }] });

  it('are examples, checked as their messages: good ones give no error, and the file one warning that OpenAI does not read them', async () => {
    const lines = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? split(jsonLine(JSON.stringify({ a: i, b: 7, result: i * 7 }))) : i % 3 === 1 ? split(toolsLine(i)) : { ...split(toolsLine(i)), completion: [objectArguments(i)] },
    );
    const file = writeLines(tmp.path('trl.jsonl'), lines);
    const report = await validateDataset([file]);
    expect(report).toMatchObject({ ok: true, examples: 12, notExamples: 0, errors: [], counts: { prompt_completion: 1 } });
    expect(report.warnings).toEqual([
      {
        file,
        check: 'prompt_completion',
        message: `${file} has 12 prompt-completion lines (TRL's conversational shape), checked as prompt then completion messages: TRL trains on this shape, but OpenAI fine-tuning reads only {"messages": [...]} lines (for OpenAI, convert the source file with fn-distil dataset convert --to tools).`,
      },
    ]);
  });

  it('name the message at fault as prompt[i] or completion[j]', async () => {
    const report = await validateDataset([
      writeLines(tmp.path('trl-bad.jsonl'), [
        split(jsonLine('{"a":3,"b":7,"result":"21"}')),
        { ...split(toolsLine(2)), completion: [{ role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'multiply', arguments: { a: 2 } } }] }] },
        { ...split(toolsLine(3)), prompt: [system, { role: 'developer', content: 'x' }] },
        { ...split(toolsLine(4)), completion: [], source: 'prod' },
        { ...split(toolsLine(5)), completion: [{ role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'divide', arguments: '{}' } }] }] },
      ]),
    ], { minExamples: 1 });
    const expected: Array<[number | undefined, CheckId, string]> = [
      [1, 'answer_mismatch', 'completion[0].content does not match the JSON Schema of "Multiply" in the system prompt: /result must be integer.'],
      [2, 'arguments_mismatch', 'completion[0].tool_calls[0].function.arguments does not match the parameters of "multiply":'],
      [3, 'invalid_role', 'prompt[1] has role "developer"; use system, user, assistant, tool or function.'],
      [4, 'invalid_messages', '"completion" is an empty list; it must hold the assistant\'s answer'],
      [4, 'no_assistant_message', 'the example has no assistant message'],
      [5, 'undeclared_function', 'completion[0].tool_calls[0].function calls "divide", which the line does not declare in "tools"'],
      [3, 'no_user_message', 'the example has no user message.'],
      [4, 'unknown_line_key', 'the line has the key "source", which is not part of a prompt-completion example (prompt, completion, tools)'],
      [undefined, 'prompt_completion', `${report.files[0]} has 5 prompt-completion lines`],
    ];
    const issues = [...report.errors, ...report.warnings];
    expect(issues.map(({ line, check }) => [line, check])).toEqual(expected.map(([line, check]) => [line, check]));
    issues.forEach(({ message }, i) => expect(message.startsWith(expected[i]![2])).toBe(true));
  });

  it('in a messages line, object arguments stay an invalid_tool_call (OpenAI needs a string), saying where they are taken', async () => {
    const report = await validateWith({ messages: [system, user, objectArguments(3)], tools });
    expect(issuesOf(report)).toEqual([{ line: at, check: 'invalid_tool_call' }]);
    expect(report.errors[0]?.message).toBe('messages[2].tool_calls[0].function must be {"name": "...", "arguments": "..."} with both strings: its arguments are an object, which open-weight chat templates take (dataset convert --arguments object) but OpenAI does not.');
  });

  it('other prompt or completion lines, such as plain text ones, are not examples', async () => {
    const report = await validateWith({ prompt: 'The sky is', completion: ' blue.' });
    expect(report.examples).toBe(11);
    expect(report.notExamples).toBe(1);
    expect(report.counts.missing_messages).toBe(1);
  });
});

describe('whole-file checks', () => {
  it('fewer than 10 examples is an error of the file, with no line; 10 is enough', async () => {
    const nine = await validateDataset([writeLines(tmp.path('nine.jsonl'), Array.from({ length: 9 }, (_, i) => toolsLine(i)))]);
    expect(nine.ok).toBe(false);
    expect(nine.errors).toEqual([{ file: nine.files[0], check: 'too_few_examples', message: expect.stringContaining('has 9 examples; fine-tuning needs at least 10') }]);
    const ten = await validateDataset([writeLines(tmp.path('ten.jsonl'), Array.from({ length: 10 }, (_, i) => toolsLine(i)))]);
    expect(ten.ok).toBe(true);
  });

  it('blank lines are not examples', async () => {
    const report = await validateDataset([writeLines(tmp.path('blank.jsonl'), [...Array.from({ length: 9 }, (_, i) => toolsLine(i)), ''])]);
    expect(report.examples).toBe(9);
    expect(report.counts).toEqual({ blank_line: 1, too_few_examples: 1 });
  });

  it('a repeated line is a warning naming the line it repeats, in the same file or another', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => toolsLine(i));
    const train = writeLines(tmp.path('train.jsonl'), [...lines.slice(0, 5), lines[1], ...lines.slice(5)]);
    const valid = writeLines(tmp.path('valid.jsonl'), [toolsLine(50), lines[7]]);
    const report = await validateDataset([train, valid], { minExamples: 1 });
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      { file: train, line: 6, check: 'duplicate_example', message: expect.stringContaining('the line repeats line 2:') },
      { file: valid, line: 2, check: 'duplicate_example', message: expect.stringContaining(`the line repeats line 9 of ${train}:`) },
    ]);
  });

  it('an example over the token limit is an error; one exactly at the limit is not', async () => {
    const long = { messages: [{ role: 'user', content: 'multiply '.repeat(300) }, { role: 'assistant', content: 'ok' }] };
    // OpenAI's counting, done here with the tokenizer itself: 3 per message plus role and content, 3 to prime the reply.
    const tokens = 3 + (3 + countTokens('user') + countTokens(long.messages[0]!.content)) + (3 + countTokens('assistant') + countTokens('ok'));
    const run = (tokenLimit: number) => validateWith(long, { model: 'my-finetunable-model', encoding: 'cl100k_base', tokenLimit });
    const over = await run(tokens - 1);
    expect(issuesOf(over).filter(({ check }) => check === 'too_many_tokens')).toEqual([{ line: at, check: 'too_many_tokens' }]);
    expect(over.errors.find(({ check }) => check === 'too_many_tokens')?.message).toContain(`has ${tokens} tokens, over the ${tokens - 1} that my-finetunable-model trains on`);
    const within = await run(tokens);
    expect(within.counts.too_many_tokens).toBeUndefined();
  });

  it('uses the per-example limit of the model: 16,385 tokens fit gpt-4o-mini but not gpt-3.5-turbo-0125', async () => {
    const long = { messages: [system, { role: 'user', content: 'seven '.repeat(20_000) }, answer], tools };
    const mini = await validateWith(long, { model: 'gpt-4o-mini-2024-07-18' });
    const turbo = await validateWith(long, { model: 'gpt-3.5-turbo-0125' });
    expect(mini.counts.too_many_tokens).toBeUndefined();
    expect(mini.model).toEqual({ model: 'gpt-4o-mini-2024-07-18', encoding: 'o200k_base', tokenLimit: 65_536 });
    expect(turbo.counts.too_many_tokens).toBe(1);
    expect(turbo.model.tokenLimit).toBe(16_385);
  });
});

describe('reports in bounded memory', () => {
  it('lists at most maxIssues per check, counts them all, and says how many it left out', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `not json ${i}` : { messages: [system, { role: 'assistant', content: `${i}` }] }));
    const report = await validateDataset([writeLines(tmp.path('many.jsonl'), lines)], { maxIssues: 4 });
    expect(report.counts).toEqual({ invalid_json: 10, no_user_message: 20 });
    expect(report.errors.map(({ line }) => line)).toEqual([1, 4, 7, 10]);
    expect(report.warnings.map(({ line }) => line)).toEqual([2, 3, 5, 6]);
    expect(report.omitted).toBe(6 + 16);
  });
});

describe('options and files', () => {
  it.each([
    [{ minExamples: -1 }, 'minExamples'],
    [{ maxIssues: 0 }, 'maxIssues'],
    [{ threads: 1.5 }, 'threads'],
    [{ model: 'my-model' }, 'model'],
    [{ model: 'my-model', encoding: 'p50k_base', tokenLimit: 10 }, 'encoding'],
  ])('rejects %j with a ConfigurationError naming %s', async (options, option) => {
    await expect(validateDataset([tmp.path('any.jsonl')], options as object)).rejects.toMatchObject({ name: 'ConfigurationError', option });
  });

  it('a missing file is a DatasetError before any file is read', async () => {
    const good = writeLines(tmp.path('first.jsonl'), [toolsLine(1)]);
    const seen: number[] = [];
    await expect(validateDataset([good, tmp.path('missing.jsonl')], { onProgress: (bytes) => seen.push(bytes) })).rejects.toMatchObject({
      name: 'DatasetError',
      message: expect.stringContaining('no such file'),
    });
    expect(seen).toEqual([]);
  });

  it('reports progress up to the total size of the files', async () => {
    const file = writeLines(tmp.path('progress.jsonl'), Array.from({ length: 2000 }, (_, i) => toolsLine(i)));
    const seen: Array<[number, number]> = [];
    await validateDataset([file, file], { onProgress: (bytes, total) => seen.push([bytes, total]) });
    const total = seen[0]![1];
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.map(([bytes]) => bytes)).toEqual([...seen.map(([bytes]) => bytes)].sort((a, b) => a - b));
  });

  it('checks arguments against 2020-12 schemas and schemas that share an $id', async () => {
    const draft2020 = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...multiplyParameters, properties: { ...multiplyParameters.properties, pair: { type: 'array', prefixItems: [{ type: 'integer' }] } } };
    const other = { $id: 'Multiply', type: 'object', required: ['x'] };
    const lines = [
      { messages: [system, user, call({ name: 'multiply', arguments: '{"a":3,"b":7,"result":21,"pair":["x"]}' })], tools: [{ type: 'function', function: { name: 'multiply', parameters: draft2020 } }] },
      { messages: [system, user, call({ name: 'other', arguments: '{}' })], tools: [{ type: 'function', function: { name: 'other', parameters: other } }] },
      { messages: [system, user, answer], tools: [{ type: 'function', function: { name: 'multiply', parameters: { $id: 'Multiply', ...multiplyParameters } } }] },
    ];
    const report = await validateDataset([writeLines(tmp.path('dialects.jsonl'), lines)], { minExamples: 1 });
    expect(report.errors.map(({ line, message }) => [line, message.slice(message.indexOf(': ') + 2)])).toEqual([
      [1, '/pair/0 must be integer.'],
      [2, "(root) must have required property 'x'."],
    ]);
  });
});
