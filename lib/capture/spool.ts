import { closeSync, openSync, readSync, rmSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { batchOfText, type Batch } from './batch.js';
import { Runs } from './owners.js';

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
  /** For a shared sink: a second file with each line's owner (4 bytes a line), so memory stays bounded too. */
  private owners: { fd: number; path: string } | undefined;
  /** Lines written and not yet read back. */
  lines = 0;
  /** Lines read back since the file started over: where the next owner is in the owners file. */
  private linesRead = 0;
  private linesWritten = 0;

  /** `tracksOwners`: keep who wrote each line, given to `append` and returned by `take`. */
  constructor(private readonly tracksOwners = false) {}

  get empty(): boolean {
    return this.lines === 0;
  }

  /** Appends lines (and, for a shared sink, their owners); throws the file system's error (the caller reports the lines as lost). */
  append(lines: readonly string[], owners?: Runs): void {
    if (this.fd === undefined) {
      this.path = join(tmpdir(), `fn-distil-spool-${process.pid}-${randomUUID()}.jsonl`);
      this.fd = openSync(this.path, 'w+', 0o600);
    }
    if (this.tracksOwners) {
      if (this.owners === undefined) {
        const path = `${this.path}.owners`;
        this.owners = { fd: openSync(path, 'w+', 0o600), path };
      }
      const ids = new Uint32Array(lines.length);
      let at = 0;
      owners?.forEach((owner, count) => {
        ids.fill(owner, at, at + count);
        at += count;
      });
      writeAll(this.owners.fd, Buffer.from(ids.buffer), this.linesWritten * 4);
    }
    const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    writeAll(this.fd, text, this.writeAt);
    this.writeAt += text.length;
    this.lines += lines.length;
    this.linesWritten += lines.length;
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
      const owners = this.readOwners(count);
      this.readAt += end + 1;
      this.lines -= count;
      this.linesRead += count;
      if (this.lines === 0) {
        // Everything read back: start the file over so it never grows past one burst.
        ftruncateSync(this.fd, 0);
        if (this.owners !== undefined) ftruncateSync(this.owners.fd, 0);
        this.readAt = this.writeAt = this.linesRead = this.linesWritten = 0;
      }
      const bytes = buffer.subarray(0, end);
      // Most datasets are ASCII (JSON.stringify keeps non-ASCII characters as they are, yet many datasets are plain ASCII):
      // decoding those as latin1 gives the same string at a fraction of UTF-8's cost.
      return batchOfText(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), count, owners);
    }
  }

  /** Who wrote the lines not yet read back, for a shared sink (throws if that cannot be read). */
  ownersLeft(): Runs | undefined {
    return this.readOwners(this.lines);
  }

  /** Who wrote the next `count` lines, for a shared sink. */
  private readOwners(count: number): Runs | undefined {
    if (this.owners === undefined) return undefined;
    // Written and read in the machine's own byte order: the file lives only as long as this process.
    const ids = new Uint32Array(count);
    const bytes = Buffer.from(ids.buffer);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(this.owners.fd, bytes, read, bytes.length - read, this.linesRead * 4 + read);
      if (n === 0) throw new Error(`the owners file ${this.owners.path} ended early`);
      read += n;
    }
    const runs = new Runs();
    for (let i = 0; i < count; i++) runs.push(ids[i]!, 1);
    return runs;
  }

  /** Removes the files. */
  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.path !== undefined) rmSync(this.path, { force: true });
    if (this.owners !== undefined) {
      closeSync(this.owners.fd);
      rmSync(this.owners.path, { force: true });
    }
    this.fd = undefined;
    this.path = undefined;
    this.owners = undefined;
    this.lines = this.readAt = this.writeAt = this.linesRead = this.linesWritten = 0;
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
}
