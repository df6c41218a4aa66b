import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/processes';

const guide = readFileSync(join(root, 'docs', 'distil.md'), 'utf8');
const performance = readFileSync(join(root, 'docs', 'performance.md'), 'utf8');

describe('docs/distil.md', () => {
  it('quotes the per-call overhead of sampleRate 0 that docs/performance.md measured, and links to it', () => {
    const measured = /per-call overhead with `sampleRate: 0`.*\*\*\+([\d.]+) ns\/call\*\*/.exec(performance)?.[1];
    const quoted = /With `0`, .*?\+([\d.]+) ns per call/s.exec(guide)?.[1];
    expect(measured).toBeDefined();
    expect(quoted).toBe(measured);
    expect(guide).toContain('[performance.md](performance.md#results)');
  });
});
