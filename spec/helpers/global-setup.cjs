// Runs once before the test files: says in one line that the real open-weight suite is not part
// of this run (jest.config.js leaves spec/open-weight out) and how to run it, then builds dist/
// (the CLI tests run the built `fn-distil` as a user would). Stoplight Prism, which only the
// contract tests need, is started by their file (prismPerFile() in cli.ts), while the other
// worker runs other files.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  process.stdout.write('\nnpm test leaves out the real llama-server and TRL suite: run `bash .ci/open-weight-setup.sh && npm run test:open-weight`\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
};
