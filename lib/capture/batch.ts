import type { Runs } from './owners.js';

/**
 * Lines on their way to the transports: as `text` (joined by `\n`, what line writers take in one
 * write) and as `lines` (one per example, for other transports). Each form is made only if asked
 * for, so lines read back from the spool are never split just to be joined again.
 */
export interface Batch {
  readonly count: number;
  /** Who wrote each line, for a sink shared by several functions. */
  readonly owners?: Runs;
  text(): string;
  lines(): readonly string[];
}

export function batchOfLines(lines: readonly string[], owners?: Runs): Batch {
  let text: string | undefined;
  const batch = { count: lines.length, text: () => (text ??= lines.join('\n')), lines: () => lines };
  return owners === undefined ? batch : { ...batch, owners };
}

export function batchOfText(text: string, count: number, owners?: Runs): Batch {
  let lines: readonly string[] | undefined;
  const batch = { count, text: () => text, lines: () => (lines ??= text.split('\n')) };
  return owners === undefined ? batch : { ...batch, owners };
}
