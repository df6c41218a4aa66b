import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { root } from '../helpers/processes';

// docs/swap.md and README's swap section quote docs/examples/swap.ts, which
// spec/docs/examples.test.ts runs; here each quoted snippet is checked against the file, and the
// options table against the real SwapOptions and the examples, so the docs cannot drift.

const read = (...path: string[]): string => readFileSync(join(root, ...path), 'utf8');
const example = read('docs', 'examples', 'swap.ts');
const guide = read('docs', 'swap.md');
const readme = read('README.md');
const readmeSection = readme.slice(readme.indexOf('## Swap in the fine-tuned model'), readme.indexOf('## Documentation'));

/** The TypeScript of a page, as paragraphs (runs of lines between blank lines). */
const paragraphs = (markdown: string): string[] => [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => (m[1] as string).trim().split(/\n\s*\n/));

/** The properties of an interface or type alias of lib/swap/options.ts, as the compiler sees them. */
function propertiesOf(name: string): string[] {
  const file = join(root, 'lib', 'swap', 'options.ts');
  const { options } = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!).find((s) => s.name === name);
  if (symbol === undefined) throw new Error(`lib/swap/options.ts exports no ${name}`);
  return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((property) => property.name);
}

describe('docs/swap.md and README quote docs/examples/swap.ts', () => {
  it.each([
    ['docs/swap.md', guide],
    ["README's swap section", readmeSection],
  ])('%s: every TypeScript snippet is code of the example, as it is there', (_page, markdown) => {
    const quoted = paragraphs(markdown);
    expect(quoted.length).toBeGreaterThanOrEqual(2);
    expect(quoted.filter((paragraph) => !example.includes(paragraph))).toEqual([]);
  });

  it('both point readers to the example and how to run it', () => {
    for (const page of [guide, readmeSection]) {
      expect(page).toMatch(/\]\((?:docs\/)?examples\/swap\.ts\)/);
      expect(page).toContain('npx tsx docs/examples/swap.ts');
    }
  });

  it("the options table lists every option of SwapOptions, each used in the example (the prompt options in distil()'s)", () => {
    const start = guide.indexOf('## Options');
    const table = guide.slice(start, guide.indexOf('\n## ', start + 1));
    const documented = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...(row[1] as string).matchAll(/`(\w+)`/g)].map((m) => m[1] as string));
    const options = propertiesOf('SwapOptions');
    const prompt = new Set(propertiesOf('PromptOptions'));
    expect(options).toEqual(expect.arrayContaining(['model', 'client', 'mode', 'ratio', 'onCompare', 'format']));
    expect([...documented].sort()).toEqual([...options].sort());
    const distilExample = read('docs', 'examples', 'options.ts');
    // As a key (`mode: 'shadow'`) or shorthand (`{ model, client, ... }`).
    const used = (source: string, option: string): boolean => new RegExp(`[\\s{,]${option}[:,]`).test(source);
    const unused = options.filter((option) => !used(example, option) && !(prompt.has(option) && used(distilExample, option)));
    expect(unused).toEqual([]);
  });
});
