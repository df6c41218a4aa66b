import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { datasetStats } from 'fn-distil';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { toolsLine, writeLines } from '../helpers/training-lines';

const tmp = tempDir();
afterAll(() => tmp.remove());

const file = () => writeLines(tmp.path(`stats-${Math.random()}.jsonl`), Array.from({ length: 40 }, (_, i) => toolsLine(i * 37)));

describe('fn-distil dataset stats', () => {
  it('--help documents every option', async () => {
    const { code, stdout } = await runCli(['dataset', 'stats', '--help']);
    expect(code).toBe(0);
    for (const option of ['--json', '--epochs <n>', '--price-per-mtok <dollars>', '--model <model>', '--encoding <encoding>', '--token-limit <n>']) expect(stdout).toContain(option);
  });

  it('--json prints what datasetStats() computes', async () => {
    const path = file();
    const { code, stdout, stderr } = await runCli(['dataset', 'stats', path, '--json', '--model', 'gpt-3.5-turbo-0125', '--price-per-mtok', '8']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual(await datasetStats(path, { model: 'gpt-3.5-turbo-0125', pricePerMTok: 8 }));
  });

  it('prints a table of per-example distributions and the training estimate', async () => {
    const lines = [
      { messages: [{ role: 'user', content: 'one' }, { role: 'assistant', content: 'two' }] },
      { messages: [{ role: 'system', content: 'three' }, { role: 'user', content: 'four' }, { role: 'assistant', content: 'five six' }] },
    ];
    const path = writeLines(tmp.path('two.jsonl'), lines);
    const { code, stdout } = await runCli(['dataset', 'stats', path, '--model', 'gpt-3.5-turbo-0125', '--price-per-mtok', '8', '--epochs', '2']);
    expect(code).toBe(0);
    const tokens = (messages: Array<{ role: string; content: string }>) => 3 + messages.reduce((sum, m) => sum + 3 + countTokens(m.role) + countTokens(m.content), 0);
    const [small, big] = lines.map(({ messages }) => tokens(messages)) as [number, number];
    const billed = small + big;
    expect(stdout).toContain(`${path}: 2 examples, tokens counted for gpt-3.5-turbo-0125 (cl100k_base, at most 16,385 per example).`);
    expect(stdout).toMatch(new RegExp(`│ messages\\s+│ 2\\s+│ 3\\s+│ 2\\.5\\s+│ 2\\.5\\s+│ 2\\.1\\s+│ 2\\.9\\s+│`));
    expect(stdout).toMatch(new RegExp(`│ total tokens\\s+│ ${small}\\s+│ ${big}\\s+│ ${(small + big) / 2}\\s+│`));
    expect(stdout).toContain("Epochs: 2 (given; OpenAI's default for 2 examples is 25).");
    expect(stdout).toContain(`Billed tokens: ${billed} per epoch x 2 = ${billed * 2}.`);
    expect(stdout).toContain(`Estimated cost: $${Number(((billed * 2 * 8) / 1e6).toPrecision(2))} at $8.00 per million training tokens.`);
  });

  it('without a price, says how to get a cost estimate', async () => {
    const { stdout } = await runCli(['dataset', 'stats', file()]);
    expect(stdout).toContain("Epochs: 3 (OpenAI's default for 40 examples).");
    expect(stdout).toContain('Estimated cost: give --price-per-mtok');
  });

  it.each([
    ['a missing file', ['missing.jsonl'], /^fn-distil: Cannot read missing\.jsonl: no such file\. Check the path\.\n$/],
    ['a malformed line', ['BAD'], /^fn-distil: .*bad\.jsonl:2: the line is not valid JSON \(.+\)\. Run `fn-distil dataset validate .*bad\.jsonl` to see every problem\.\n$/],
    ['an unknown model', ['GOOD', '--model', 'mistral-7b'], /^fn-distil: Unknown model "mistral-7b".*\n$/],
  ])('%s fails in one line on stderr with exit code 1', async (_what, args, message) => {
    const bad = writeLines(tmp.path('bad.jsonl'), [toolsLine(1), '{"messages": [', toolsLine(2)]);
    const resolved = args.map((arg) => (arg === 'BAD' ? bad : arg === 'GOOD' ? file() : arg));
    const { code, stdout, stderr } = await runCli(['dataset', 'stats', ...resolved]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(message);
  });

  it.each([
    ["distil()'s raw lines", { fn_name: 'multiply', fn_repr: 'def multiply(a, b)', args: { a: 3, b: 7 }, resp: { result: 21 }, schema: { type: 'object' } }, 'the line has no "messages"'],
    ['prompt lines', { prompt: 'multiply(3, 7)', completion: '21' }, 'the line has no "messages"'],
    ['a line whose messages are not a list', { messages: 'multiply(3, 7)' }, '"messages" is "multiply(3, 7)", not a list'],
  ])('refuses %s: they are not chat examples, and 0 messages and 3 tokens each would be nonsense', async (_what, line, problem) => {
    const path = writeLines(tmp.path(`not-chat-${Math.random()}.jsonl`), [toolsLine(1), toolsLine(2), line, { prompt: 'later' }]);
    const { code, stdout, stderr } = await runCli(['dataset', 'stats', path]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `fn-distil: ${path}:3: ${problem}: it is not a chat training example. Run \`fn-distil dataset validate ${path}\` to see every problem. ` +
        `Lines distil() wrote in its 'raw' format become chat examples with \`fn-distil dataset convert ${path} --to json\` (or tools, messages).\n`,
    );
  });

  it.each([[['--price-per-mtok', '-1']], [['--epochs', '0']], [['--epochs', '1.5']]])('%j is a usage error (exit code 2)', async (args) => {
    const { code, stderr } = await runCli(['dataset', 'stats', 'x.jsonl', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain('--help');
  });
});
