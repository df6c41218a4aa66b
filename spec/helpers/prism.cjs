// Starts Stoplight Prism 5.14.2 (a devDependency: the last release that runs on Node 20) mocking
// OpenAI's official spec, the test fixture spec/fixtures/openai-openapi/openapi.json. Prism
// answers 422 to a files or fine-tuning request the spec does not allow, which is what the CLI
// contract tests check. Used by their test file (prismPerFile() in cli.ts) and by .ci/run
// (`node spec/helpers/prism.cjs [PORT]` prints the URL once it listens, and stops Prism on
// SIGTERM, SIGINT or SIGHUP).
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const specFile = join(root, 'spec', 'fixtures', 'openai-openapi', 'openapi.json');

/**
 * How long Prism may take to load the spec and listen: 20-45 s on an idle machine, several times
 * that on a busy one. Only a guard against a Prism that hangs: its exit is noticed at once.
 */
const startupLimitMs = 10 * 60_000;

/**
 * Starts Prism on `port`, or on a port the system picks when none is given (so that no other
 * process can take it first), and reads the address from its "listening on" line. `ready`
 * resolves to its base URL, `stop()` ends it.
 */
function startPrism(port) {
  const log = [];
  let child;
  const ready = new Promise((resolve, reject) => {
    // Without its file Prism prints only its help text: say what is missing instead.
    if (!existsSync(specFile)) throw new Error(`${specFile} is missing: the contract tests mock OpenAI's spec from it (see spec/fixtures/openai-openapi/README.md).`);
    child = spawn(join(root, 'node_modules', '.bin', 'prism'), ['mock', '-h', '127.0.0.1', '-p', String(port ?? 0), specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`Prism did not start within ${startupLimitMs / 1000} s:\n${log.join('')}`)), startupLimitMs);
    timer.unref();
    let seen = '';
    const read = (chunk) => {
      // Keep only the start of the log, for the error message if it never comes up.
      if (log.length < 50) log.push(chunk);
      seen = (seen + chunk).slice(-4096);
      const listening = /Prism is listening on (http:\/\/[^\s\x1b]+)/.exec(seen);
      if (listening !== null) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${signal ?? `code ${code}`}:\n${log.join('')}`));
    });
  });
  return {
    ready,
    stop: () =>
      new Promise((resolve) => {
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

module.exports = { startPrism };

if (require.main === module) {
  const prism = startPrism(process.argv[2] ? Number(process.argv[2]) : undefined);
  // Whoever started this process stops it with a signal: stop Prism first, or it outlives us.
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(exitCodes)) process.once(signal, () => prism.stop().then(() => process.exit(code)));
  prism.ready.then(
    (url) => console.log(url),
    (error) => {
      console.error(error.message);
      prism.stop().then(() => process.exit(1));
    },
  );
}
