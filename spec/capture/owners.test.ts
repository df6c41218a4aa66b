import fc from 'fast-check';
import { Runs } from '../../lib/capture/owners';

/** The runs as one owner per line. */
const expand = (runs: Runs): number[] => {
  const lines: number[] = [];
  runs.forEach((owner, count) => lines.push(...Array.from({ length: count }, () => owner)));
  return lines;
};

describe('Runs: who wrote which lines of a shared sink', () => {
  it('push, shift, last and append keep exactly the owners of the lines, in order', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('push' as const), owner: fc.nat(3), count: fc.nat(5) }),
      fc.record({ op: fc.constant('shift' as const), count: fc.nat(8) }),
      fc.record({ op: fc.constant('last' as const), count: fc.nat(8) }),
      fc.record({ op: fc.constant('append' as const), owners: fc.array(fc.nat(3), { maxLength: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const runs = new Runs();
        let model: number[] = [];
        for (const s of steps) {
          if (s.op === 'push') {
            runs.push(s.owner, s.count);
            model.push(...Array.from({ length: s.count }, () => s.owner));
          } else if (s.op === 'shift') {
            expect(expand(runs.shift(s.count))).toEqual(model.slice(0, s.count));
            model = model.slice(s.count);
          } else if (s.op === 'last') {
            expect(expand(runs.last(s.count))).toEqual(s.count === 0 ? [] : model.slice(-s.count));
          } else {
            const other = new Runs();
            for (const owner of s.owners) other.push(owner, 1);
            runs.append(other);
            model.push(...s.owners);
          }
          expect(expand(runs)).toEqual(model);
          expect(runs.lines).toBe(model.length);
        }
        const counts = new Map<number, number>();
        for (const owner of model) counts.set(owner, (counts.get(owner) ?? 0) + 1);
        expect(runs.counts()).toEqual(counts);
      }),
    );
  });

  it('lines of one owner in a row take one run', () => {
    const runs = new Runs();
    for (let i = 0; i < 1000; i++) runs.push(7, 1);
    const pairs: Array<[number, number]> = [];
    runs.forEach((owner, count) => pairs.push([owner, count]));
    expect(pairs).toEqual([[7, 1000]]);
  });

  it('keeps the right owners after dropping many consumed runs', () => {
    const runs = new Runs();
    const model: number[] = [];
    for (let i = 0; i < 3000; i++) {
      runs.push(i % 2, 1);
      model.push(i % 2);
    }
    for (let i = 0; i < 2500; i++) expect(expand(runs.shift(1))).toEqual([model[i]]);
    expect(expand(runs)).toEqual(model.slice(2500));
    expect(expand(runs.last(3))).toEqual(model.slice(-3));
  });
});
