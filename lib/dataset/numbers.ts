// Numbers and counts in messages, the same in the library's errors and the CLI's output.

/** Formats a number for humans: thousands separators, at most `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A count and its noun, singular for exactly one: "1 example", "0 examples", "1,200 examples". */
export function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}
