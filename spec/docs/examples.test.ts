import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SwapStats } from 'fn-distil';
import { startFakeOpenAI } from '../helpers/fake-openai';
import ts from 'typescript';
import { openApiValidator } from '../helpers/openapi';
import { readJsonLines, tempDir } from '../helpers/files';
import { root, runTs, runTsAsync } from '../helpers/processes';

const tmp = tempDir();
afterAll(() => tmp.remove());
const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const example = (name: string): string => join(root, 'docs', 'examples', `${name}.ts`);
/** The `<mode> stats(): {...}` lines swap.ts prints, by mode. */
const printedStats = (stdout: string): Record<string, SwapStats> =>
  Object.fromEntries([...stdout.matchAll(/^(\w+) stats\(\): (.*)$/gm)].map((m) => [m[1] as string, JSON.parse(m[2] as string) as SwapStats]));
const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

/** The members of `DistilOptions`, read from its declaration, so a new option must be shown too. */
function distilOptionNames(): string[] {
  const source = parse(join(root, 'lib', 'distil', 'options.ts'));
  const declaration = source.statements.find((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === 'DistilOptions');
  return declaration!.members.map((member) => member.name!.getText(source));
}

/** The keys of every object literal given as the options (third argument) of a distil() call: code, not comments. */
function optionKeysPassedToDistil(file: string): Set<string> {
  const source = parse(file);
  const keys = new Set<string>();
  const visit = (node: ts.Node): void => {
    const options = ts.isCallExpression(node) && node.expression.getText(source) === 'distil' ? node.arguments[2] : undefined;
    if (options !== undefined && ts.isObjectLiteralExpression(options)) {
      for (const property of options.properties) if (property.name !== undefined) keys.add(property.name.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}

describe('docs/examples run as documented', () => {
  it('the demo writes 100 valid training lines of correct products and says where', () => {
    const out = tmp.path('math_finetunes.jsonl');
    const result = runTs(example('demo'), [out]);
    expect(result.stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Wrote 100 training examples to ${out}`);
    const lines = readJsonLines(out) as Array<Record<string, any>>;
    expect(lines).toHaveLength(100);
    for (const line of lines) {
      expect(trainingLine(line)).toBe(true);
      const { a, b, result: product } = JSON.parse(line.messages[2].content);
      expect(a * b).toBe(product);
      expect(line.messages[1].content).toBe(`Return three_digit_multiply(${a}, ${b})`);
    }
  });

  it('formats.ts prints the same lines docs/formats.md shows', () => {
    const result = runTs(example('formats'));
    expect(result.status).toBe(0);
    const doc = readFileSync(join(root, 'docs', 'formats.md'), 'utf8');
    const printed = result.stdout.trim().split('\n');
    expect(printed).toHaveLength(4);
    for (const line of printed) {
      const json = line.slice(line.indexOf(': ') + 2);
      expect(doc).toContain(json);
    }
  });

  it('options.ts passes every option of DistilOptions to distil(), and each shows in what it writes', () => {
    const passed = optionKeysPassedToDistil(example('options'));
    expect(distilOptionNames().filter((option) => !passed.has(option))).toEqual([]);

    const dir = tmp.path('options');
    mkdirSync(dir);
    const result = runTs(example('options'), [dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // sampleRate 1: both calls; onError: the call after close() reported, not thrown.
    expect(result.stdout).toContain('2 examples, customer ids redacted: true');
    expect(result.stdout).toContain('capture problems: closed');
    const lines = readJsonLines(join(dir, 'support.jsonl')) as Array<Record<string, any>>;
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(trainingLine(line)).toBe(true);
      const [system, user, assistant] = line.messages;
      // name, description, includeSource: false (the signature, not the source)
      expect(system.content).toBe('Predict the results of this function:\n\nanswer_email(email, customer)\n\nClassifies a support email and drafts a reply.');
      expect(user.content).toMatch(/^Return answer_email\(".*", \{"id":"cus_REDACTED","plan":"(pro|free)"\}\)$/);
      // format: 'tools', toolName, toolDescription
      expect(line.tools).toEqual([
        { type: 'function', function: expect.objectContaining({ name: 'SupportReply', description: 'The category and reply for one email' }) },
      ]);
      expect(assistant.tool_calls[0].function.name).toBe('SupportReply');
    }
    // logger: a second wrapper wrote through it, in its own format.
    expect(result.stdout).toContain('through the logger: 1 example');
    const [triage] = readJsonLines(join(dir, 'triage.jsonl')) as Array<Record<string, any>>;
    expect(triage!.messages[1].content).toBe('Return triage_email("Where is my invoice?", {"id":"cus_9","plan":"team"})');
    expect(JSON.parse(triage!.messages[2].content)).toEqual({ category: 'billing', reply: 'Hello, thanks for writing about billing (plan team).' });
  });

  it('instructions.ts writes two functions into one file', () => {
    const result = runTs(example('instructions'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 examples in one file');
  });

  it('logger.ts writes the example alone through a logger', () => {
    const result = runTs(example('logger'));
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("[ 'messages' ]");
  });

  it('swap.ts goes from shadow to canary to model against its stand-in, with no API key, and counts every call', async () => {
    const result = await runTsAsync(example('swap'), [], { OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No OPENAI_BASE_URL and no model named: a stand-in at http:\/\/127\.0\.0\.1:\d+\/v1 plays the fine-tuned model\.$/m);
    const { shadow, canary, model } = printedStats(result.stdout);
    // The stand-in always answers right: every shadow comparison agrees, field by field.
    expect(shadow).toMatchObject({ calls: 20, modelCalls: 20, modelShare: 0, agreement: { comparisons: 20, exact: 1, fields: { a: 1, b: 1, result: 1 } }, invalidAnswers: 0, modelErrors: 0, errors: 0 });
    expect(shadow?.latencyMs).toMatchObject({ model: { count: 20 }, original: { count: 20 } });
    // docs/swap.md shows this line: the same stats, but for the milliseconds, which vary by run.
    const documented = printedStats(readFileSync(join(root, 'docs', 'swap.md'), 'utf8'))['shadow'];
    const ms = { count: 20, p50: expect.any(Number), p95: expect.any(Number) };
    expect(documented).toEqual({ ...shadow, latencyMs: { model: ms, original: ms } });
    // Which canary calls go to the model is random; the counts must add up whatever it picked.
    const toModel = canary?.modelCalls ?? -1;
    expect(toModel).toBeGreaterThanOrEqual(0);
    expect(toModel).toBeLessThanOrEqual(40);
    expect(canary).toMatchObject({ calls: 40, modelShare: toModel / 40, agreement: { comparisons: 0 }, fallbacks: 0, errors: 0 });
    expect(canary?.latencyMs).toMatchObject({ model: { count: toModel }, original: { count: 40 - toModel } });
    expect(model).toMatchObject({ calls: 10, modelCalls: 10, modelShare: 1, retries: 0, fallbacks: 0, errors: 0, latencyMs: { original: { count: 0 } } });
    expect(result.stdout).toContain('fast(133, 539) = { a: 133, b: 539, result: 71687 }');
    expect(result.stdout).toContain('plain(12, 34) = { a: 12, b: 34, result: 408 }');
    // Every call the original answered was captured: all 20 in shadow, the canary's others.
    expect(result.stdout).toContain(`\n${20 + 40 - toModel} examples captured while swapping\n`);
  });

  it('swap.ts sends its calls to the model and format named, on the server OPENAI_BASE_URL points at', async () => {
    const server = await startFakeOpenAI();
    try {
      const result = await runTsAsync(example('swap'), ['my-multiply', 'json'], { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: undefined });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).not.toContain('stand-in');
      const { canary } = printedStats(result.stdout);
      expect(server.requests).toHaveLength(20 + (canary?.modelCalls ?? 0) + 10 + 1);
      expect(server.violations).toEqual([]);
      expect(new Set(server.requests.map((request) => request.model))).toEqual(new Set(['my-multiply']));
      // 'json': the schema constrains decoding, except where `omitSchema` asks for any JSON object.
      expect(server.requests.map((request) => request.response_format?.type)).toEqual([...Array(20 + (canary?.modelCalls ?? 0)).fill('json_schema'), ...Array(10).fill('json_object'), 'json_schema']);
    } finally {
      await server.close();
    }
  });
});
