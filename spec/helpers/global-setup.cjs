// Runs once before the test files: builds dist/ (the CLI tests run the built `fn-distil` as a
// user would). Stoplight Prism, which only the contract tests need, is started by their file
// (prismPerFile() in cli.ts), while the other worker runs other files.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
};
