import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/files';
import { lockfileFor, type PackedManifest } from '../helpers/lockfile';
import { root } from '../helpers/processes';

// The package as users get it: `npm pack` (dist/ is built by the Jest global setup), installed
// into a new project with its peers, without the network, then its `bin` and exports used there.
const tmp = tempDir('fn-distil-installed-');
afterAll(() => tmp.remove());
const app = tmp.path('app');

// The npm settings of the `npm test` running this, such as npm_config_local_prefix (this
// project), would point npm at this project instead of the new one: only the cache and
// configuration files are kept.
const kept = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry', 'npm_config_cafile']);
const env = Object.fromEntries(Object.entries({ ...process.env, NODE_OPTIONS: '' }).filter(([key]) => !/^npm_/i.test(key) || kept.has(key.toLowerCase())));

function run(command: string, args: readonly string[], cwd = app): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

const line = (n: number): string =>
  JSON.stringify({ messages: [{ role: 'system', content: 'Answer with the double.' }, { role: 'user', content: `double(${n})` }, { role: 'assistant', content: String(2 * n) }] });

beforeAll(() => {
  const packed = run('npm', ['pack', '--json', '--pack-destination', tmp.dir], root);
  expect({ status: packed.status, stderr: packed.stderr }).toMatchObject({ status: 0 });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const manifest = JSON.parse(run('tar', ['-xOzf', join(tmp.dir, filename), 'package/package.json'], tmp.dir).stdout) as PackedManifest;
  const project = lockfileFor(`file:../${filename}`, manifest, ['openai', 'winston', '@sinclair/typebox']);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify(project.manifest, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(project.lock, null, 2));
  const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund']);
  // npm's own warnings may vary with its configuration: only its exit code is held to; stderr shows on failure.
  expect({ status: installed.status, stderr: installed.stderr }).toMatchObject({ status: 0 });
  writeFileSync(join(app, 'train.jsonl'), `${Array.from({ length: 10 }, (_, i) => line(i)).join('\n')}\n`);
  writeFileSync(join(app, 'bad.jsonl'), `${Array.from({ length: 10 }, (_, i) => line(i)).join('\n')}\n{"messages": [\n`);
}, 180_000);

describe('fn-distil installed from its packed tarball', () => {
  it('`npx fn-distil --help` runs the installed bin and lists the commands', () => {
    const { status, stdout, stderr } = run('npx', ['--offline', 'fn-distil', '--help']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: fn-distil /);
    for (const group of ['dataset', 'files', 'jobs', 'eval']) expect(stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
  });

  it('`npx fn-distil dataset validate` checks a file in the project, on worker threads too, with its exit codes', () => {
    const good = run('npx', ['--offline', 'fn-distil', 'dataset', 'validate', 'train.jsonl', '--threads', '2']);
    expect({ status: good.status, stderr: good.stderr }).toEqual({ status: 0, stderr: '' });
    expect(good.stdout).toBe('10 examples in train.jsonl; token limit 65,536 per example (gpt-4o-mini-2024-07-18, o200k_base).\nNo errors, 0 warnings.\n');
    const bad = run('npx', ['--offline', 'fn-distil', 'dataset', 'validate', 'bad.jsonl']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^bad\.jsonl:11: error \[invalid_json\] /);
  });

  it('imports from the project as ES module and CommonJS', () => {
    const script = `
      import { createRequire } from 'node:module';
      import { validateDataset, distil, isFnDistilError } from 'fn-distil';
      const required = createRequire(import.meta.url)('fn-distil');
      const report = await validateDataset(['train.jsonl']);
      console.log(JSON.stringify({ ok: report.ok, examples: report.examples, distil: typeof distil, guard: typeof isFnDistilError, cjs: typeof required.validateDataset }));
    `;
    const { status, stdout, stderr } = run(process.execPath, ['--input-type=module', '-e', script]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ ok: true, examples: 10, distil: 'function', guard: 'function', cjs: 'function' });
  });
});
