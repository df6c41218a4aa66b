import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { linesOf, tempDir } from '../helpers/files';
import { root } from '../helpers/processes';

const tmp = tempDir();
afterAll(() => tmp.remove());

const doc = readFileSync(join(root, 'docs', 'formats.md'), 'utf8');
const section = (heading: string): string => {
  const start = doc.indexOf(heading);
  expect(start).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
};

describe('docs/formats.md, lines for trainers', () => {
  it('each documented convert command writes exactly the line shown under it, from the json line of the page', async () => {
    const [json] = [...section("## `'json'`").matchAll(/```json\n(.*)\n```/g)].map((match) => match[1] as string);
    writeFileSync(tmp.path('multiply.jsonl'), `${json as string}\n`);
    const blocks = [...section('## Lines for trainers').matchAll(/```sh\n(fn-distil .*)\n```\n\n```json\n(.*)\n```/g)];
    expect(blocks.map((match) => (match[1] as string).split(' ').slice(4).join(' '))).toEqual([
      '--to prompt-completion -o trl.jsonl',
      '--to prompt-completion --completion tools --arguments object -o trl-tools.jsonl',
      '--to tools --arguments object -o tools-objects.jsonl',
    ]);
    for (const [, command, line] of blocks) {
      const args = (command as string).split(' ');
      const result = await runCli(args.slice(1), { cwd: tmp.dir });
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 0, stderr: '' });
      expect(linesOf(tmp.path(args[args.length - 1] as string))).toEqual([line]);
    }
  });
});
