import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { spawnCollected } from '../helpers/processes';
import { toolsLine, writeLines } from '../helpers/training-lines';

const tmp = tempDir();
const cleanups: Array<() => void> = [tmp.remove];
afterAll(() => cleanups.forEach((remove) => remove()));

const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify(toolsLine(100 + i)));
const text = lines.map((line) => `${line}\n`).join('');
const demo = writeLines(tmp.path('demo.jsonl'), lines);
const shell = (script: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  spawnCollected('bash', ['-c', script, 'bash', process.execPath, cliPath, demo], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined }, timeoutMs: 30_000 });
/** A named pipe no process writes to: opening it for reading waits forever. */
function fifo(name: string): string {
  const own = tempDir();
  cleanups.push(own.remove);
  const file = own.path(name);
  execFileSync('mkfifo', [file]);
  return file;
}

describe('dataset commands reading a pipe', () => {
  it.each([
    ['/dev/stdin', ['/dev/stdin']],
    ['-', ['-']],
    ['- with --threads 2 (a pipe is read on one thread)', ['-', '--threads', '2']],
  ])('validate %s reads every line of a pipe', async (_, args) => {
    const { code, stdout, stderr } = await runCli(['dataset', 'validate', ...args, '--json'], { input: text });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ files: ['/dev/stdin'], examples: 100, ok: true, errors: [] });
  });

  it("validate reads bash's <(...) and a pipe from cat, as the user typed them", async () => {
    const substituted = await shell('"$1" "$2" dataset validate <(cat "$3")');
    expect(substituted.code).toBe(0);
    expect(substituted.stdout).toMatch(/^100 examples in \/dev\/fd\/\d+; /);
    const piped = await shell('cat "$3" | "$1" "$2" dataset validate /dev/stdin');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^100 examples in \/dev\/stdin; /);
  });

  it('stats reads standard input given as -', async () => {
    const { code, stdout } = await runCli(['dataset', 'stats', '-', '--json'], { input: text });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: '/dev/stdin', examples: 100 });
  });

  it.each([
    ['dedupe', ['dataset', 'dedupe', '-']],
    ['merge', ['dataset', 'merge', demo, '-']],
    ['convert', ['dataset', 'convert', '-', '--to', 'json']],
    ['convert --to prompt-completion', ['dataset', 'convert', '-', '--to', 'prompt-completion', '--completion', 'tools', '--arguments', 'object']],
  ])('%s reads standard input in one pass when the output is given', async (name, args) => {
    const output = tmp.path(`${name.replace(/\W+/g, '-')}.out.jsonl`);
    const { code, stderr } = await runCli([...args, '-o', output, '--json'], { input: text });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).toHaveLength(100);
  });

  it.each([
    ['dedupe', ['dataset', 'dedupe', '-'], '-o', 'stdin.deduped.jsonl'],
    ['convert', ['dataset', 'convert', '-', '--to', 'tools'], '-o', 'stdin.tools.jsonl'],
    ['eval', ['eval', '--model', 'm', '--dataset', '/dev/stdin', '--base-url', 'http://127.0.0.1:9/v1'], '--results', 'stdin.eval-results.jsonl'],
  ])('%s of standard input without an output says to give one, as there is no folder to write beside it', async (_, args, flag, name) => {
    const { code, stdout, stderr } = await runCli(args, { input: text });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`fn-distil: /dev/stdin is not in a folder to write ${name} beside. Give the output file with ${flag} (\`${name.includes('eval') ? 'resultsFile' : 'output'}\` in code).\n`);
  });

  it('split refuses a named pipe at once (it reads its input twice), instead of waiting forever, and writes nothing', async () => {
    // No process ever opens this pipe for writing: a command that opened it to read would wait
    // forever (until runCli kills it and the test fails), so ending at all means it never tried.
    const pipe = fifo('data.jsonl');
    const { code, stdout, stderr } = await runCli(['dataset', 'split', pipe]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      `fn-distil: Cannot split ${pipe}: it is a pipe, not a regular file, and split reads its input twice (once to count the examples, once to write them). Save it to a file first (e.g. \`... > data.jsonl\`) and give that file.\n`,
    );
    expect(readdirSync(pipe.slice(0, pipe.lastIndexOf('/')))).toEqual(['data.jsonl']);
    const piped = await runCli(['dataset', 'split', '-'], { input: text });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(/^fn-distil: Cannot split \/dev\/stdin: it is a pipe, not a regular file, /);
  });

  it('files upload and jobs create-from-file refuse a pipe before reading or sending anything', async () => {
    const connection = ['--base-url', 'http://127.0.0.1:9/v1'];
    for (const args of [['files', 'upload', '/dev/stdin'], ['files', 'upload', '/dev/stdin', '--skip-validation'], ['jobs', 'create-from-file', '/dev/stdin']]) {
      const { code, stderr } = await runCli([...args, ...connection], { input: text });
      expect({ args, code, stderr }).toEqual({
        args,
        code: 1,
        stderr: 'fn-distil: Cannot upload /dev/stdin: it is a pipe, not a regular file, and an upload is sent again from the start when it is retried. Save it to a file first (e.g. `... > data.jsonl`) and give that file.\n',
      });
    }
  });
});

// A read blocked on a FIFO holds even process.exit(): the command ends by the signal itself,
// which shells report as 130, as they would the exit code.
type Ended = { code: number | null; signal: NodeJS.Signals | null };
const endedBySigint: Ended = { code: null, signal: 'SIGINT' };

/**
 * Whether a thread of process `pid` is blocked in a system call on its descriptor of `file`,
 * from Linux's /proc: for a pipe, a read waiting for data, so every line sent was read.
 */
function blockedOn(pid: number, file: string): boolean {
  try {
    const fds = readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
    // /proc/PID/task/TID/syscall: the call's number and arguments, the first being the descriptor.
    const waiting = readdirSync(`/proc/${pid}/task`).map((task) => readFileSync(`/proc/${pid}/task/${task}/syscall`, 'utf8').split(' ')[1]);
    return fds.some((fd) => waiting.includes(`0x${Number(fd).toString(16)}`));
  } catch {
    return false; // the process or one of its threads is gone
  }
}

/** Waits, on events only (no deadline but Jest's), until `ready()` or the child has exited. */
async function until(ready: () => boolean, child: ReturnType<typeof spawn>): Promise<void> {
  while (!ready() && child.exitCode === null && child.signalCode === null) await sleep(5);
}

describe('Ctrl-C while a transform waits on a pipe that sends nothing more', () => {
  /**
   * Starts `dataset merge PIPE -o out.jsonl` on a pipe holding 50 lines and kept open, and waits
   * until it has written its partial file and is blocked reading the pipe for more. With
   * `noTimersAfterSignal`, timers the command sets once signalled never fire (see
   * no-timers-after-signal.cjs), so its grace timer cannot end it.
   */
  async function mergeStalled(options: { noTimersAfterSignal?: boolean } = {}): Promise<{ dir: string; child: ReturnType<typeof spawn>; exit: Promise<Ended>; stderr: () => string; close: () => void }> {
    const pipe = fifo('shard.jsonl');
    const dir = pipe.slice(0, pipe.lastIndexOf('/'));
    // Read-write, so opening does not wait for a reader; kept open, so the reader never sees the end.
    const fd = openSync(pipe, constants.O_RDWR | constants.O_NONBLOCK);
    writeSync(fd, lines.slice(0, 50).map((line) => `${line}\n`).join(''));
    const preload = options.noTimersAfterSignal === true ? ['--require', join(__dirname, '..', 'helpers', 'no-timers-after-signal.cjs')] : [];
    const child = spawn(process.execPath, [...preload, cliPath, 'dataset', 'merge', pipe, '-o', `${dir}/out.jsonl`], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    const exit = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const partial = `${dir}/out.jsonl.partial`;
    await until(() => existsSync(partial) && blockedOn(child.pid!, pipe), child);
    expect({ partial: existsSync(partial), blocked: blockedOn(child.pid!, pipe) }).toEqual({ partial: true, blocked: true });
    return { dir, child, exit, stderr: () => stderr, close: () => closeSync(fd) };
  }

  it('ends it a moment later on its own, the pipe still open, by SIGINT (130 in a shell), saying so once, and leaves no partial file', async () => {
    const { dir, child, exit, stderr, close } = await mergeStalled();
    try {
      // No more lines, no second signal: only the command's own grace timer can end it.
      child.kill('SIGINT');
      expect(await exit).toEqual(endedBySigint);
      expect(stderr()).toBe('fn-distil: Stopped by SIGINT: no output was written and the partial files were removed.\n');
      expect(readdirSync(dir)).toEqual(['shard.jsonl']);
    } finally {
      close();
    }
  });

  it('a second Ctrl-C ends it at once, leaving no partial file either', async () => {
    // The grace timer of the first Ctrl-C never fires here: only the second one can end it.
    const { dir, child, exit, stderr, close } = await mergeStalled({ noTimersAfterSignal: true });
    try {
      child.kill('SIGINT');
      // The first one is handled when the partial file is gone (aborting removes it at once).
      await until(() => !existsSync(`${dir}/out.jsonl.partial`), child);
      child.kill('SIGINT');
      expect(await exit).toEqual(endedBySigint);
      expect(stderr()).toBe('fn-distil: Stopped by SIGINT: no output was written and the partial files were removed.\n');
      expect(readdirSync(dir)).toEqual(['shard.jsonl']);
    } finally {
      close();
    }
  });
});
