import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines, tempDir } from '../helpers/files';
import { root, runTs } from '../helpers/processes';

const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');
const demoFile = join(root, 'docs', 'examples', 'demo.ts');
const demo = readFileSync(demoFile, 'utf8');
/** The guide's TypeScript, as paragraphs (runs of lines between blank lines). */
const paragraphs = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => (m[1] as string).trim().split(/\n\s*\n/));
const fileName = /^const filename = .*'([^']+)'\)?;$/m;

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('docs/getting-started.md', () => {
  it('shows the code of docs/examples/demo.ts as it is', () => {
    expect(paragraphs.length).toBeGreaterThan(4);
    // The demo alone takes the file name from the command line; both default to the same file.
    for (const paragraph of paragraphs.filter((p) => !fileName.test(p))) expect(demo).toContain(paragraph);
    expect(fileName.exec(paragraphs.join('\n\n'))?.[1]).toBe(fileName.exec(demo)?.[1]);
  });

  it('the demo starts its file afresh on each run, as the guide says', () => {
    const out = tmp.path('math_finetunes.jsonl');
    for (let run = 0; run < 2; run++) expect(runTs(demoFile, [out]).status).toBe(0);
    expect(readJsonLines(out)).toHaveLength(100);
    expect(guide).toContain("options: { flags: 'w' }");
  });
});
