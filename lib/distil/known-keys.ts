import { ConfigurationError } from '../errors.js';

/**
 * Refuses option keys the options type does not have, so a misspelled option (`sample_rate`,
 * `fallbak`) from JavaScript or a cast object fails when wrapping instead of being ignored.
 * `known` is a record of every key, so TypeScript makes it list each option the type gains.
 */
export function checkKnownKeys(options: object, known: Readonly<Record<string, true>>, what: string): void {
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const names = Object.keys(known);
    const near = names.find((name) => similar(key, name));
    throw new ConfigurationError(
      key,
      `${what} has no option \`${key}\`${near === undefined ? '' : `: did you mean \`${near}\``}? Its options are ${names.map((name) => `\`${name}\``).join(', ')}.`,
    );
  }
}

/** Same letters ignoring case and `_`/`-`, or one edit apart (a typo). */
function similar(typed: string, name: string): boolean {
  const plain = (text: string): string => text.toLowerCase().replace(/[_-]/g, '');
  return plain(typed) === plain(name) || editDistance(typed, name) <= 1 + Math.floor(name.length / 8);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
