import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiValidator } from '../helpers/openapi';
import { readJsonLines, tempDir } from '../helpers/files';
import { root, runTs } from '../helpers/processes';

const tmp = tempDir();
afterAll(() => tmp.remove());
const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const example = (name: string): string => join(root, 'docs', 'examples', `${name}.ts`);

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
      const { a, b, result: product } = JSON.parse(line.messages[2].function_call.arguments);
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

  it('options.ts uses every option and redacts customer ids', () => {
    const result = runTs(example('options'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 examples, customer ids redacted: true');
    expect(result.stdout).toContain('capture problems: 0');
    const source = readFileSync(example('options'), 'utf8');
    for (const option of ['name', 'description', 'includeSource', 'format', 'toolName', 'toolDescription', 'sampleRate', 'redact', 'transports', 'logger', 'onError', 'maxBufferedBytes']) {
      expect(source).toContain(`${option}`);
    }
  });

  it('instructions.ts writes two functions into one file', () => {
    const result = runTs(example('instructions'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 examples in one file');
  });

  it('logger.ts writes the example alone through a logger', () => {
    const result = runTs(example('logger'));
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("[ 'messages', 'functions' ]");
  });
});
