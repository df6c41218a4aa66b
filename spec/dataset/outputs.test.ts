import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { DatasetError, splitDataset } from 'fn-distil';
import { withWriters } from '../../lib/dataset/outputs';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';

const lineOf = (i: number): string => JSON.stringify({ messages: [{ role: 'user', content: `example ${i}` }, { role: 'assistant', content: String(i) }] });
/** A directory holding a 20-line dataset, data.jsonl. */
function dataset(): ReturnType<typeof tempDir> & { file: string } {
  const own = tempDir();
  const file = own.path('data.jsonl');
  writeFileSync(file, Array.from({ length: 20 }, (_, i) => `${lineOf(i)}\n`).join(''));
  return { ...own, file };
}
/** Makes `<file>.partial` a link to /dev/full, where every write fails with ENOSPC: a full disk. */
const onFullDisk = (file: string): void => symlinkSync('/dev/full', `${file}.partial`);
const hasDevFull = existsSync('/dev/full');

describe('outputs appear together or not at all', () => {
  (hasDevFull ? it : it.skip)('split leaves no training file when its validation file cannot be written, and says why in a DatasetError', async () => {
    const own = dataset();
    onFullDisk(own.path('val.jsonl'));
    const error = await splitDataset(own.file, { validation: 0.5, trainOutput: own.path('train.jsonl'), validationOutput: own.path('val.jsonl') }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ file: own.path('val.jsonl'), message: expect.stringMatching(/^Cannot write .*val\.jsonl: ENOSPC: no space left on device/) });
    expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    own.remove();
  });

  (hasDevFull ? it : it.skip)('the command line reports a full disk in one line, not as an unexpected error', async () => {
    const own = dataset();
    onFullDisk(own.path('data.val.jsonl'));
    const { code, stdout, stderr } = await runCli(['dataset', 'split', own.file, '--val', '0.5']);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`fn-distil: Cannot write ${own.path('data.val.jsonl')}: ENOSPC: no space left on device, write.\n`);
    expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    own.remove();
  });

  it('a file that cannot be put in place takes back the files already put in place', async () => {
    const own = tempDir();
    const [first, second] = [own.path('first.jsonl'), own.path('second.jsonl')];
    const error = await withWriters([first, second], async ([a, b]) => {
      await a.write('{"a":1}');
      await b.write('{"b":2}');
      // Renaming over a directory that is not empty fails, after `first` is in place.
      mkdirSync(`${second}/taken`, { recursive: true });
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ file: second, message: expect.stringContaining(`Cannot write ${second}: `) });
    expect(readdirSync(own.dir)).toEqual(['second.jsonl']);
    own.remove();
  });

  it('every file is in place once the work is done, with every line', async () => {
    const own = tempDir();
    const files = [own.path('a.jsonl'), own.path('b.jsonl')] as const;
    const result = await withWriters(files, async ([a, b]) => {
      for (let i = 0; i < 50_000; i++) await (i % 3 === 0 ? a : b).write(lineOf(i));
      return a.lines + b.lines;
    });
    expect(result).toBe(50_000);
    expect(readdirSync(own.dir).sort()).toEqual(['a.jsonl', 'b.jsonl']);
    own.remove();
  });
});
