// docs/open-weight.md's commands are the ones the open-weight suite runs (spec/open-weight/commands.ts,
// with the doc's `math` where the suite has `sentiment`), and only what a test runs is marked tested.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { capturedFile, datasetCommands, evalCommand, trainCommand } from '../open-weight/commands';
import { root } from '../helpers/processes';

const docFile = join(root, 'docs', 'open-weight.md');
const doc = readFileSync(docFile, 'utf8');
const section = (title: string): string => {
  const start = doc.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
};
/** The lines of a section's `sh` blocks, each without its comment, and whether the comment says tested. */
const shLines = (title: string): { command: string; tested: boolean }[] =>
  [...section(title).matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!.trim().split('\n').map((line) => ({ command: line.replace(/\s+#.*$/, ''), tested: /#.*\(tested/.test(line) })),
  );

describe('docs/open-weight.md', () => {
  it("section 2's commands are the dataset commands the suite runs as the built CLI, each marked tested", () => {
    const lines = shLines('2. Check, clean, split, export');
    expect(lines.map(({ command }) => command)).toEqual(datasetCommands('math').map((args) => `npx fn-distil ${args.join(' ')}`));
    expect(lines.every(({ tested }) => tested)).toBe(true);
    expect(datasetCommands('math')[0]).toContain(capturedFile('math'));
  });

  it("section 3's train_trl.py line is the one the suite runs, with a hub id for --model", () => {
    expect(shLines('3. Train')).toEqual([
      { command: `python docs/examples/open-weight/train_trl.py ${trainCommand('math', 'Qwen/Qwen2.5-0.5B-Instruct').join(' ')}`, tested: true },
    ]);
  });

  it("section 5's eval line is the one the suite runs against llama-server", () => {
    expect(shLines('5. Evaluate')).toEqual([{ command: `npx fn-distil ${evalCommand('math', 'http://127.0.0.1:8080/v1', 'my-multiply').join(' ')}`, tested: true }]);
  });

  it('every file it links to exists', () => {
    const links = [...doc.matchAll(/\]\(((?:examples\/|\.\.\/)[^)#]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect([link, existsSync(join(dirname(docFile), link))]).toEqual([link, true]);
  });

  it('train_trl.py takes every flag section 3 names', () => {
    const script = readFileSync(join(root, 'docs', 'examples', 'open-weight', 'train_trl.py'), 'utf8');
    const flags = [...new Set([...section('3. Train').matchAll(/(?:`|\s)(--[a-z][a-z-]+)/g)].map((match) => match[1]!))].filter((flag) => flag !== '--to' && flag !== '--arguments');
    expect(flags).toEqual(expect.arrayContaining(['--model', '--train', '--val', '--out', '--epochs', '--max-steps', '--learning-rate']));
    for (const flag of flags) expect([flag, script.includes(`"${flag}"`)]).toEqual([flag, true]);
  });
});
