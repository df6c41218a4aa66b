import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, spawnCollected } from './processes';

/** The built executable, as `npx fn-distil` runs it (dist/ is built by the Jest global setup). */
export const cliPath = join(root, 'dist', 'cli.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How long {@link runCli} lets a command run: less than Jest's 60 s test timeout, so a command
 * that hangs fails its test with what it printed rather than with a bare Jest timeout.
 */
export const cliTimeoutMs = 45_000;

/** Real OpenAI settings removed from a command's environment, so no test can reach OpenAI by accident. */
const noOpenAI = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

/**
 * Runs `fn-distil ...args` in a real process. Asynchronous on purpose: tests serve fake APIs from
 * their own event loop, which a synchronous spawn would block. The environment is the test's
 * own minus any real OpenAI settings, so no test can reach OpenAI by accident. A command still
 * running after `timeoutMs` is killed, and the promise rejects with its output so far.
 */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string; timeoutMs?: number; virtualClock?: boolean } = {},
): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? cliTimeoutMs;
  // With `virtualClock`, the command's clock moves only by its own sleeps (virtual-clock.cjs).
  const preload = options.virtualClock === true ? ['--require', join(__dirname, 'virtual-clock.cjs')] : [];
  const { code, stdout, stderr, timedOut } = await spawnCollected(process.execPath, [...preload, cliPath, ...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...noOpenAI, ...options.env },
    input: options.input ?? '',
    timeoutMs,
  });
  if (!timedOut) return { code, stdout, stderr };
  throw new Error(`\`fn-distil ${args.join(' ')}\` did not finish within ${timeoutMs / 1000} s and was killed.\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
}

/** Whether util-linux `script` is there to run a command in a pseudo-terminal ({@link runCliInTerminal}). */
export const canRunInTerminal = spawnSync('script', ['--version']).status === 0;

const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `fn-distil ...args` in a pseudo-terminal 100 columns wide, as from a user's shell (util-linux
 * `script`): stdout and stderr are both the terminal, so `screen` is everything written to it, in
 * order, escape sequences and all. The environment is {@link runCli}'s.
 */
export async function runCliInTerminal(args: readonly string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<{ code: number | null; screen: string }> {
  const command = `stty cols 100 rows 40; exec ${[process.execPath, cliPath, ...args].map(shellQuote).join(' ')}`;
  const { code, signal, stdout: screen, stderr } = await spawnCollected('script', ['-qec', command, '/dev/null'], {
    env: { ...noOpenAI, ...options.env },
    timeoutMs: options.timeoutMs ?? cliTimeoutMs,
  });
  if (signal === null && stderr === '') return { code, screen };
  throw new Error(`\`fn-distil ${args.join(' ')}\` in a terminal ended with ${signal ?? `code ${code}`}${stderr === '' ? '' : `, script said: ${stderr}`}\n--- screen ---\n${screen}`);
}

/**
 * The lines left on a terminal after `screen` was written to it, for output whose only cursor
 * movement is `\r` (back to the line's start) and only erasing `\x1b[2K` (the whole line), as a
 * status line's: text overwrites the line from the cursor on, and lines left empty are dropped.
 */
export function visibleLines(screen: string): string[] {
  return screen
    .split('\n')
    .map((written) => {
      let line = '';
      let column = 0;
      for (const part of written.split(/(\r|\x1b\[2K)/)) {
        if (part === '\r') column = 0;
        else if (part === '\x1b[2K') line = '';
        else {
          line = line.slice(0, column).padEnd(column) + part + line.slice(column + part.length);
          column += part.length;
        }
      }
      return line.trimEnd();
    })
    .filter((line) => line !== '');
}

/** prism.cjs's launcher (CommonJS, shared with .ci/run). */
type Prism = { readonly ready: Promise<string>; readonly stop: () => Promise<void> };

/**
 * For the test file of the contract tests: the base URL of Stoplight Prism mocking OpenAI's
 * spec, as a getter for the tests. It is PRISM_URL when set (.ci/run starts one); otherwise
 * Prism is started before the file's tests (20-45 s on an idle machine, longer on a busy one: the
 * limit is prism.cjs's hang guard, not Jest's test timeout) and stopped after them.
 */
export function prismPerFile(): () => string {
  let url = process.env['PRISM_URL'];
  let prism: Prism | undefined;
  beforeAll(async () => {
    if (url !== undefined) return;
    const { startPrism } = require('./prism.cjs') as { startPrism: () => Prism };
    prism = startPrism();
    url = await prism.ready;
  }, 11 * 60_000);
  afterAll(() => prism?.stop());
  return () => {
    if (url === undefined) throw new Error('Prism is not running: prismPerFile() starts it before the tests of its file.');
    return url;
  };
}
