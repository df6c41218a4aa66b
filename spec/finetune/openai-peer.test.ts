import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/processes';

// Uploads stream files with openai's `toStreamingFile`, which older 6.x releases lack: the peer
// range must not promise them.

const manifest = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, any>;
const minimum = (range: string): string => /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1] ?? range;
const newer = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
};

/** The release whose changelog entry added streaming uploads (the oldest mentioning them). */
function firstStreamingRelease(): string {
  const changelog = readFileSync(join(root, 'node_modules', 'openai', 'CHANGELOG.md'), 'utf8');
  const releases = changelog.split(/^## /m).slice(1).map((section) => ({ version: section.split(/\s/)[0] as string, text: section }));
  const adding = releases.filter((release) => /support streaming file uploads/i.test(release.text)).map((release) => release.version);
  expect(adding.length).toBeGreaterThan(0);
  return adding.sort(newer)[0] as string;
}

describe('the openai peer dependency', () => {
  it('starts at the first release with toStreamingFile, in package.json and the lockfile alike', () => {
    const first = firstStreamingRelease();
    const pkg = manifest('package.json');
    expect(minimum(pkg['peerDependencies'].openai)).toBe(first);
    expect(manifest('package-lock.json')['packages']['']['peerDependencies'].openai).toBe(pkg['peerDependencies'].openai);
    expect(newer(minimum(pkg['devDependencies'].openai), first)).toBeGreaterThanOrEqual(0);
  });

  it('the installed client exports toStreamingFile', async () => {
    const openai = await import('openai');
    expect(typeof openai.toStreamingFile).toBe('function');
  });
});
