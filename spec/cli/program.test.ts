import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { root } from '../helpers/processes';

describe('the fn-distil executable', () => {
  it('--help lists every command group', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const group of ['dataset', 'files', 'jobs', 'eval']) expect(stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    await expect(runCli(['--version'])).resolves.toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('an unknown command is a usage error: exit code 2 and a hint', async () => {
    const { code, stderr } = await runCli(['bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'bogus'");
    expect(stderr).toContain('--help');
  });
});
