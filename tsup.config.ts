import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: { index: 'lib/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    splitting: false,
    // __dirname in the ESM build too: dataset/threads.ts finds dist/validate-worker.js with it.
    shims: true,
  },
  {
    // The `fn-distil` executable: ESM only (top-level await), a thin layer over lib/; and the
    // worker threads `validateDataset` starts on big files, loaded by path beside the bundles.
    entry: { cli: 'lib/cli/bin.ts', 'validate-worker': 'lib/dataset/validate-worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    splitting: false,
    shims: true,
    banner: { js: '#!/usr/bin/env node' },
    define: { __FN_DISTIL_VERSION__: JSON.stringify(version) },
  },
]);
