// The `fn-distil` executable (package.json `bin`); the shebang is added by the build.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
