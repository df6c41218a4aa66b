import { closeSync, openSync, readSync } from 'node:fs';
import { DatasetError } from '../errors.js';
import type { ByteRange } from './lines.js';

const window = 1 << 16;
const newline = 0x0a;

/**
 * Cuts a file of `size` bytes into at most `parts` ranges of about equal size, each starting at
 * the beginning of a line, so each can be read on its own. Fewer ranges come back when lines
 * are longer than a share (a single huge line stays whole).
 */
export function splitLines(file: string, size: number, parts: number): ByteRange[] {
  if (parts <= 1 || size === 0) return [{ start: 0, end: size }];
  const starts = [0];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new DatasetError(file, undefined, `Cannot read ${file}: ${(cause as Error).message}. Check the path.`, { cause });
  }
  try {
    const buffer = Buffer.allocUnsafe(window);
    for (let k = 1; k < parts; k++) {
      const target = Math.max(Math.floor((size * k) / parts), starts[starts.length - 1] as number);
      const start = nextLineStart(fd, buffer, target, size);
      if (start >= size) break;
      if (start > (starts[starts.length - 1] as number)) starts.push(start);
    }
  } finally {
    closeSync(fd);
  }
  return starts.map((start, k) => ({ start, end: starts[k + 1] ?? size }));
}

/** The first byte after the first `\n` at or after `from - 1`: the start of the line `from` is in (or `from`). */
function nextLineStart(fd: number, buffer: Buffer, from: number, size: number): number {
  for (let at = Math.max(from - 1, 0); at < size; at += window) {
    const read = readSync(fd, buffer, 0, Math.min(window, size - at), at);
    const found = buffer.subarray(0, read).indexOf(newline);
    if (found !== -1) return at + found + 1;
    if (read === 0) break;
  }
  return size;
}

/** The mean length in bytes of the lines in the first 64 KB of a file: a cheap guess of its line count's divisor. */
export function averageLineBytes(file: string): number {
  const buffer = Buffer.allocUnsafe(window);
  let read = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, buffer, 0, window, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return window;
  }
  let lines = 0;
  for (let at = buffer.indexOf(newline); at !== -1 && at < read; at = buffer.indexOf(newline, at + 1)) lines++;
  return read / Math.max(lines, 1) || window;
}
