import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { hashBytes, hashLatin1 } from '../../lib/dataset/hash';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';
import { toolsLine, writeLines } from '../helpers/training-lines';

const tmp = tempDir();
afterAll(() => tmp.remove());

// Module hooks that serve node:crypto without `hash`, as Node 20.0 to 20.11 did (engines: >=20).
const hooks = `
import { createRequire } from 'node:module';
const names = Object.keys(createRequire(import.meta.url)('node:crypto')).filter((name) => name !== 'hash' && /^[A-Za-z_$][\\w$]*$/.test(name));
export async function resolve(specifier, context, next) {
  if ((specifier === 'crypto' || specifier === 'node:crypto') && context.parentURL !== 'old-node:crypto') return { url: 'old-node:crypto', shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url !== 'old-node:crypto') return next(url, context);
  const source = [
    "import { createRequire } from 'node:module';",
    'const crypto = { ...createRequire(' + JSON.stringify(import.meta.url) + ")('node:crypto') };",
    'delete crypto.hash;',
    'export default crypto;',
    ...names.map((name) => 'export const ' + name + ' = crypto.' + name + ';'),
  ].join('\\n');
  return { format: 'module', source, shortCircuit: true };
}`;
writeFileSync(tmp.path('hooks.mjs'), hooks);
writeFileSync(tmp.path('register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
const oldNode = { NODE_OPTIONS: `--import=${tmp.path('register.mjs')}` };
const runModule = (source: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });

describe('hashing', () => {
  it('gives the digests of createHash, as bytes and as latin1 text, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('sha1' as const, 'sha256' as const), (text, algorithm) => {
        const expected = createHash(algorithm).update(text).digest();
        expect(hashBytes(algorithm, text)).toEqual(expected);
        expect(Buffer.from(hashLatin1(algorithm, text), 'latin1')).toEqual(expected);
      }),
    );
  });

  it('the stand-in for Node 20.0 to 20.11 has no crypto.hash, so a named import of it fails there', () => {
    const probe = runModule("const crypto = await import('node:crypto'); console.log(typeof crypto.hash, typeof crypto.createHash); await import('data:text/javascript,import { hash } from \"node:crypto\";');", oldNode);
    expect(probe.stdout).toBe('undefined function\n');
    expect(probe.stderr).toContain("does not provide an export named 'hash'");
  });

  it('the built package loads and finds duplicates on Node releases without crypto.hash', async () => {
    const file = writeLines(tmp.path('data.jsonl'), [...Array.from({ length: 12 }, (_, i) => toolsLine(i)), toolsLine(3), JSON.stringify(toolsLine(5)).replace('{"messages"', '{ "messages"')]);
    const loaded = runModule(`const { dedupeDataset } = await import(${JSON.stringify(join(root, 'dist', 'index.js'))}); console.log(JSON.stringify(await dedupeDataset(${JSON.stringify(file)}, { output: ${JSON.stringify(tmp.path('lib.jsonl'))} })));`, oldNode);
    expect(loaded.stderr).toBe('');
    expect(JSON.parse(loaded.stdout)).toMatchObject({ read: 14, written: 12, duplicates: 2 });

    const validate = ['dataset', 'validate', file, '--json'];
    const [oldValidate, validated] = await Promise.all([runCli(validate, { env: oldNode }), runCli(validate)]);
    expect(oldValidate.stderr).toBe('');
    expect(oldValidate.stdout).toBe(validated.stdout);
    expect(JSON.parse(validated.stdout).counts).toEqual({ duplicate_example: 1 });
    const dedupe = (output: string) => ['dataset', 'dedupe', file, '-o', tmp.path(output)];
    const [oldDedupe, deduped] = await Promise.all([runCli(dedupe('old.jsonl'), { env: oldNode }), runCli(dedupe('new.jsonl'))]);
    expect([oldDedupe.code, oldDedupe.stderr, deduped.code]).toEqual([0, '', 0]);
    expect(readFileSync(tmp.path('old.jsonl'), 'utf8')).toBe(readFileSync(tmp.path('new.jsonl'), 'utf8'));
  });
});
