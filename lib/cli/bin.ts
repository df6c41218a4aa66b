// The `fn-distil` executable (package.json `bin`); the shebang is added by the build.
import { describeError } from './errors.js';
import { exitCodes } from './exit-codes.js';
import { main } from './main.js';

// A reader that stops early (`fn-distil ... | head`) closes the pipe, and the next write fails
// with EPIPE: Node ignores SIGPIPE, so without this it would be an unhandled 'error' and a
// stack trace. End quietly instead, with the exit code of a process SIGPIPE ended.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`fn-distil: cannot write the output: ${describeError(error)}\n`);
  process.exit(error.code === 'EPIPE' ? exitCodes.SIGPIPE : exitCodes.failure);
});

process.exitCode = await main(process.argv.slice(2));
