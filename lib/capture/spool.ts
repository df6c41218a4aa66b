import { closeSync, openSync, readSync, rmSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { batchOfText, type Batch } from './batch.js';

/**
 * An append-only temporary file of complete lines, read back in order. It keeps memory bounded
 * when the caller produces examples faster than the transports take them: a synchronous caller
 * in a tight loop never yields to the event loop, so the only way not to drop its examples is to
 * park them on disk synchronously. Writes and reads are synchronous and sequential.
 */
export class Spool {
  private fd: number | undefined;
  private path: string | undefined;
  private writeAt = 0;
  private readAt = 0;
  /** Lines written and not yet read back. */
  lines = 0;

  get empty(): boolean {
    return this.lines === 0;
  }

  /** Appends lines; throws the file system's error (the caller reports the lines as lost). */
  append(lines: readonly string[]): void {
    if (this.fd === undefined) {
      this.path = join(tmpdir(), `fn-distil-spool-${process.pid}-${randomUUID()}.jsonl`);
      this.fd = openSync(this.path, 'w+', 0o600);
    }
    const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    let offset = 0;
    while (offset < text.length) offset += writeSync(this.fd, text, offset, text.length - offset, this.writeAt + offset);
    this.writeAt += text.length;
    this.lines += lines.length;
  }

  /** Reads the next complete lines, about `maxBytes` of them (more if one line is longer). */
  take(maxBytes: number): Batch | undefined {
    if (this.fd === undefined || this.lines === 0) return undefined;
    let size = Math.min(maxBytes, this.writeAt - this.readAt);
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const read = readSync(this.fd, buffer, 0, size, this.readAt);
      const end = buffer.lastIndexOf(0x0a, read - 1);
      if (end < 0) {
        size = Math.min(size * 2, this.writeAt - this.readAt);
        continue;
      }
      let count = 1;
      for (let at = buffer.indexOf(0x0a); at < end; at = buffer.indexOf(0x0a, at + 1)) count++;
      this.readAt += end + 1;
      this.lines -= count;
      if (this.lines === 0) {
        // Everything read back: start the file over so it never grows past one burst.
        ftruncateSync(this.fd, 0);
        this.readAt = this.writeAt = 0;
      }
      const bytes = buffer.subarray(0, end);
      // Most datasets are ASCII (JSON.stringify keeps non-ASCII characters as they are, yet many datasets are plain ASCII):
      // decoding those as latin1 gives the same string at a fraction of UTF-8's cost.
      return batchOfText(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), count);
    }
  }

  /** Removes the file. */
  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.path !== undefined) rmSync(this.path, { force: true });
    this.fd = undefined;
    this.path = undefined;
    this.lines = this.readAt = this.writeAt = 0;
  }
}
