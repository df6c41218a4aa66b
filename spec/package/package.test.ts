import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/processes';
import { tempDir } from '../helpers/files';

const tmp = tempDir();
afterAll(() => tmp.remove());

const program = (filename: string) => `
  const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
  const multiply = distil((a, b) => ({ a, b, result: a * b }), Multiply, { name: "three_digit_multiply",
    transports: [new winston.transports.File({ filename: ${JSON.stringify(filename)} })],
  });
  const out = multiply(133, 539);
  multiply.close().then(() => console.log(JSON.stringify({ out, isError: typeof isFnDistilError, ctor: typeof OutputValidationError })));
`;

// dist/ is built once by the Jest global setup.
describe('the built package', () => {
  it('emits ESM, CommonJS and both type declarations', () => {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) expect(existsSync(join(root, 'dist', file))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['.'].import.types).toBe('./dist/index.d.ts');
    expect(pkg.exports['.'].require.types).toBe('./dist/index.d.cts');
    expect(pkg.sideEffects).toBe(false);
  });

  it.each([
    ['require', 'cjs', "const { distil, isFnDistilError, OutputValidationError } = require('fn-distil'); const winston = require('winston'); const { Type } = require('@sinclair/typebox');"],
    ['import', 'mjs', "import { distil, isFnDistilError, OutputValidationError } from 'fn-distil'; import winston from 'winston'; import { Type } from '@sinclair/typebox';"],
  ])('works with %s', (_how, extension, imports) => {
    const filename = tmp.path(`${extension}.jsonl`);
    // Inside the project, `fn-distil` resolves to the package itself through its `exports`.
    const script = join(root, '.scratch', `package-${extension}.${extension}`);
    require('node:fs').mkdirSync(join(root, '.scratch'), { recursive: true });
    writeFileSync(script, imports + program(filename));
    const result = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ out: { a: 133, b: 539, result: 71687 }, isError: 'function', ctor: 'function' });
    expect(readFileSync(filename, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('has no import-time side effects and keeps internals out of the exports', () => {
    const names = Object.keys(require(join(root, 'dist', 'index.cjs'))).sort();
    expect(names).toEqual([
      'CaptureError',
      'ConfigurationError',
      'DatasetError',
      'FineTuningError',
      'FnDistilError',
      'OutputValidationError',
      'SwapError',
      'convertDataset',
      'createInstructions',
      'datasetStats',
      'dedupeDataset',
      'distil',
      'evaluateModel',
      'isFnDistilError',
      'mergeDatasets',
      'splitDataset',
      'swap',
      'validateDataset',
    ]);
  });

  it.each([['index.js'], ['index.cjs']])('%s finds the validation worker it ships with and splits files across threads', (bundle) => {
    const dataset = tmp.path(`threads-${bundle}.jsonl`);
    const line = (n: number) => JSON.stringify({ messages: [{ role: 'user', content: `${n}` }, { role: 'assistant', content: `${n * 2}` }] });
    writeFileSync(dataset, Array.from({ length: 300 }, (_, i) => line(i % 250)).join('\n'));
    // Node publishes each new thread on the 'worker_threads' diagnostics channel.
    const script = `
      import dc from 'node:diagnostics_channel';
      let threads = 0;
      dc.subscribe('worker_threads', () => threads++);
      const { validateDataset } = await import(${JSON.stringify(join(root, 'dist', bundle))});
      const split = await validateDataset([${JSON.stringify(dataset)}], { threads: 3 });
      const started = threads;
      const whole = await validateDataset([${JSON.stringify(dataset)}], { threads: 1 });
      console.log(JSON.stringify({ started, same: JSON.stringify(split) === JSON.stringify(whole), duplicates: whole.counts.duplicate_example }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ started: 2, same: true, duplicates: 50 });
  });
});
