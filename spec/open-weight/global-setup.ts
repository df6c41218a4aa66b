// Runs once before the open-weight tests: says in one line how to install the parts when they
// are missing (the tests then skip), else builds dist/, since the tests run the built `fn-distil`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { partsInstalled, skipMessage } from './parts';

export default function globalSetup(): void {
  if (!partsInstalled) {
    process.stdout.write(`\n${skipMessage}\n`);
    return;
  }
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
}
