// Builds dist/ once before the open-weight tests: they run the built `fn-distil` as a user would.
const { execFileSync } = require('node:child_process');

module.exports = async function globalSetup() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: require('node:path').join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
};
