// Starts Stoplight Prism 5.14.2 (a devDependency: the last release that runs on Node 20) mocking
// OpenAI's official spec, the test fixture spec/fixtures/openai-openapi/openapi.json. Prism
// answers 422 to a files or fine-tuning request the spec does not allow, which is what the CLI
// contract tests check. Used by the Jest global setup and by .ci/run (`node spec/helpers/prism.cjs
// PORT` prints the URL once it listens, and stops Prism on SIGTERM, SIGINT or SIGHUP).
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const specFile = join(root, 'spec', 'fixtures', 'openai-openapi', 'openapi.json');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(url, child, log, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with code ${child.exitCode}:\n${log.join('')}`);
    try {
      await fetch(`${url}/models`);
      return url; // any HTTP answer means it is up
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Prism did not start within ${timeoutMs / 1000} s:\n${log.join('')}`);
}

/** Starts Prism; `ready` resolves to its base URL, `stop()` ends it. */
function startPrism(port) {
  const log = [];
  let child;
  const ready = (async () => {
    // Without its file Prism prints only its help text: say what is missing instead.
    if (!existsSync(specFile)) throw new Error(`${specFile} is missing: the contract tests mock OpenAI's spec from it (see spec/fixtures/openai-openapi/README.md).`);
    const chosen = port ?? (await freePort());
    child = spawn(join(root, 'node_modules', '.bin', 'prism'), ['mock', '-h', '127.0.0.1', '-p', String(chosen), specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Keep only the start of the log, for the error message if it never comes up.
    const keep = (chunk) => log.length < 50 && log.push(String(chunk));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    return waitUntilListening(`http://127.0.0.1:${chosen}`, child, log, 120_000);
  })();
  return {
    ready,
    stop: () =>
      new Promise((resolve) => {
        if (child === undefined || child.exitCode !== null) return resolve();
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
