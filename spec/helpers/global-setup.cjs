// Runs once before the test files: builds dist/ (the CLI tests run the built `fn-distil` as a
// user would) and, unless PRISM_URL points at one already (.ci/run starts it), starts Stoplight
// Prism mocking OpenAI's official spec for the contract tests. global-teardown.cjs stops it.
const { execFileSync } = require('node:child_process');
const { startPrism } = require('./prism.cjs');

module.exports = async function globalSetup() {
  const prism = process.env.PRISM_URL ? undefined : startPrism();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: require('node:path').join(__dirname, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (prism !== undefined) {
    globalThis.__fnDistilPrism = prism;
    process.env.PRISM_URL = await prism.ready;
  }
};
