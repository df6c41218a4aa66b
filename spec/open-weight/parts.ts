// Where .ci/open-weight-setup.sh put the real parts, and whether they are there.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Jest runs this as CommonJS; `npm run bench` (tsx, ESM, from the project's root) has no __dirname.
const root = typeof __dirname === 'string' ? join(__dirname, '..', '..') : process.cwd();

/** The setup's directory: `FN_DISTIL_OPEN_WEIGHT_DIR`, else `<repo>/.open-weight`. */
export const openWeightDir = resolve(root, process.env['FN_DISTIL_OPEN_WEIGHT_DIR'] ?? '.open-weight');

/** Debian's llama-server, through the wrapper the setup writes. */
export const llamaServerPath = join(openWeightDir, 'bin', 'llama-server');

/** The venv's Python, with torch, transformers, trl, tokenizers and gguf. */
export const pythonPath = join(openWeightDir, 'venv', 'bin', 'python');

/** The test's own scripts: the tiny base model, its GGUF, transformers' reference answers. */
export const scriptsDir = join(root, 'spec', 'open-weight', 'python');

/** The TRL script docs/open-weight.md tells users to run. */
export const trainTrlPath = join(root, 'docs', 'examples', 'open-weight', 'train_trl.py');

/** Whether both parts are installed (the venv's stamp is written last, after pip succeeded). */
export const partsInstalled = existsSync(llamaServerPath) && existsSync(join(openWeightDir, 'venv', '.requirements'));

export const skipMessage = 'open-weight parts not installed: run `bash .ci/open-weight-setup.sh` then `npm run test:open-weight`';

/** `describe` when the parts are installed, else `describe.skip` (global-setup.ts says why, once). */
export function describeWithParts(name: string, body: () => void): void {
  (partsInstalled ? describe : describe.skip)(name, body);
}
