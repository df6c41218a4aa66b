import { closeSync, fstatSync, ftruncateSync, openSync, readSync, statSync } from 'node:fs';
import type { FileStream } from './deliver.js';

/**
 * Where a file-writing transport's file stood when everything handed to it was last seen written
 * (the bytes its stream had written then). After a failed write, the lines from there to the new
 * end of the file are the ones that arrived: a JSON line never holds a raw line ending.
 */
export class Handed {
  /** The stream the mark belongs to; `undefined` means the next stream the transport opens, from byte 0. */
  private stream: FileStream | undefined;
  private mark = 0;

  constructor(stream: FileStream | undefined) {
    this.confirm(stream);
  }

  /** Everything handed so far is in the file: count afresh from here. */
  confirm(stream: FileStream | undefined): void {
    this.stream = stream;
    this.mark = stream?.bytesWritten ?? 0;
  }

  /**
   * How many lines handed since the mark are in the file, which now ends at `end` (right after a
   * line ending); `undefined` if this stream is not the one the mark was taken on.
   */
  arrived(stream: FileStream, fd: number, begin: number, end: number, eol: Buffer, mayRotate: boolean): number | undefined {
    if (this.stream !== stream && (this.stream !== undefined || mayRotate)) return undefined;
    return count(fd, begin + (this.stream === stream ? this.mark : 0), end, eol);
  }
}

/** What `cutTornLine` did to a file. */
export interface Repair {
  readonly path: string;
  /** Bytes of a partial last line removed (0 if the file already ended at a line ending). */
  readonly removed: number;
  /** Lines handed since the last confirmation that are in the file; `undefined` if unknown. */
  readonly arrived: number | undefined;
}

const chunkBytes = 64 * 1024;

/**
 * After a write to `stream` failed (a full disk or a file size limit can leave part of a line
 * written), cuts the file back to its last line ending, so every line in it is complete. Only
 * bytes this stream wrote are considered: a file that had content before keeps it.
 *
 * Synchronous and safe while the stream is still open: an `fs.WriteStream` has one write in
 * flight at a time and, once errored, starts no other. Returns `undefined` when there is nothing
 * to cut: the stream did not fail, its target is not a regular file (`/dev/full`, a pipe), or the
 * file is not as the stream left it (something else wrote to it). Throws if the file cannot be
 * read or truncated.
 */
export function cutTornLine(stream: FileStream, eolText: string, handed: Handed | undefined, mayRotate: boolean): Repair | undefined {
  if (stream.errored == null || eolText === '') return undefined;
  const path = typeof stream.path === 'string' ? stream.path : stream.path.toString();
  // stat before open: opening a FIFO or device to read could block or have side effects.
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const begin = size - stream.bytesWritten;
    // The stream appended its bytes at the end; if not, the file changed under it and cutting could hit data that is not ours.
    if (begin < 0 || (stream.start !== undefined && stream.start !== begin)) return undefined;
    const eol = Buffer.from(eolText, 'utf8');
    const end = lastLineEnd(fd, begin, size, eol);
    if (end < size) ftruncateSync(fd, end);
    return { path, removed: size - end, arrived: handed?.arrived(stream, fd, begin, end, eol, mayRotate) };
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the last `eol` in [begin, end), or `begin` if there is none. */
function lastLineEnd(fd: number, begin: number, end: number, eol: Buffer): number {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let to = end;
  while (to - begin >= eol.length) {
    const from = Math.max(begin, to - chunkBytes);
    const read = readSync(fd, buffer, 0, to - from, from);
    const at = buffer.subarray(0, read).lastIndexOf(eol);
    if (at >= 0) return from + at + eol.length;
    if (from === begin) break;
    // Step back less than a chunk, so an eol split across two chunks is still found.
    to = from + eol.length - 1;
  }
  return begin;
}

/** How many `eol`s are in [from, to). */
function count(fd: number, from: number, to: number, eol: Buffer): number {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let found = 0;
  let at = from;
  while (to - at >= eol.length) {
    const read = readSync(fd, buffer, 0, Math.min(chunkBytes, to - at), at);
    if (read === 0) break;
    const chunk = buffer.subarray(0, read);
    for (let i = chunk.indexOf(eol); i >= 0; i = chunk.indexOf(eol, i + eol.length)) found++;
    // Overlap the next chunk by eol.length - 1 bytes, so an eol split across the boundary is found.
    at += Math.max(1, read - eol.length + 1);
  }
  return found;
}
