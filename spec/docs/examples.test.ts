import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { openApiValidator } from '../helpers/openapi';
import { readJsonLines, tempDir } from '../helpers/files';
import { root, runTs } from '../helpers/processes';

const tmp = tempDir();
afterAll(() => tmp.remove());
const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const example = (name: string): string => join(root, 'docs', 'examples', `${name}.ts`);
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
    expect(result.stdout.trim()).toBe("[ 'messages', 'functions' ]");
  });
});
