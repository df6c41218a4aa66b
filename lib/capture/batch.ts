/**
 * Lines on their way to the transports: as `text` (joined by `\n`, what line writers take in one
 * write) and as `lines` (one per example, for other transports). Each form is made only if asked
 * for, so lines read back from the spool are never split just to be joined again.
 */
export interface Batch {
  readonly count: number;
  text(): string;
  lines(): readonly string[];
}

export function batchOfLines(lines: readonly string[]): Batch {
  let text: string | undefined;
  return { count: lines.length, text: () => (text ??= lines.join('\n')), lines: () => lines };
}

export function batchOfText(text: string, count: number): Batch {
  let lines: readonly string[] | undefined;
  return { count, text: () => text, lines: () => (lines ??= text.split('\n')) };
}
