import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { number } from '../../lib/cli/options';
import { runCli } from '../helpers/cli';

const refusal = (parse: (value: string) => unknown, value: string): string | undefined => {
  try {
    parse(value);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
};

describe('number(), the parser of number options', () => {
  it('takes every number within its bounds as it is written, and refuses the rest, saying why', () => {
    const parse = number({ min: -5, max: 5 });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), (value) => {
        const said = refusal(parse, String(value));
        if (value < -5) expect(said).toBe('Must be at least -5.');
        else if (value > 5) expect(said).toBe('Must be at most 5.');
        else expect(parse(String(value))).toBe(Number(String(value)));
      }),
    );
    for (const value of ['', ' ', 'five', 'NaN', 'Infinity']) expect(refusal(parse, value)).toBe('Not a number.');
  });

  it('takes only safe whole numbers when asked, and only values strictly between exclusive bounds', () => {
    expect(refusal(number({ integer: true }), '1.5')).toBe('Not a whole number.');
    expect(refusal(number({ integer: true }), '1e20')).toBe('Not a whole number.');
    expect(number({ integer: true })('-12')).toBe(-12);
    const share = number({ above: 0, below: 1 });
    expect([refusal(share, '0'), refusal(share, '1'), share('0.25')]).toEqual(['Must be more than 0.', 'Must be less than 1.', 0.25]);
  });

  it('takes its words as they are, and says what it expects, when told, for any refusal', () => {
    const threads = number({ min: 1, integer: true, words: ['auto'], expected: 'a whole number, 1 or more, or auto' });
    expect([threads('auto'), threads('3')]).toEqual(['auto', 3]);
    for (const value of ['0', '1.5', 'all', 'Auto']) expect(refusal(threads, value)).toBe('Must be a whole number, 1 or more, or auto.');
  });

  it('gives the command line its messages: dataset validate --threads', async () => {
    const { code, stderr } = await runCli(['dataset', 'validate', 'x.jsonl', '--threads', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain("option '--threads <n>' argument 'many' is invalid. Must be a whole number, 1 or more, or auto.");
  });
});
