import { LineDigestTable, recordWords } from './line-digests.js';
import { IssueLog } from './issues.js';

/**
 * Finds repeated lines across every range of every file, in line order whatever order the
 * ranges are read in: digests of the range being filled go straight into the set; those of
 * later ranges wait (12 bytes a line) until every range before them is done, since a line's
 * number is known only then. Files are taken one after the other.
 */
export class OrderedDuplicates {
  private readonly seen: LineDigestTable;
  // A line's id: its number plus the lines of the files before it; fileIds[k] is file k's base.
  private readonly fileIds: number[] = [];
  private log: IssueLog;
  private current = 0;
  private offsets: number[] = [];
  private lines: Array<number | undefined> = [];
  private waiting: Uint32Array[][] = [];
  private nextId = 0;

  /** `expectedLines`: a guess of the lines in all the files, to size the digest set once. */
  constructor(
    private readonly files: readonly string[],
    private readonly maxIssues: number,
    expectedLines: number,
  ) {
    this.log = new IssueLog(maxIssues);
    this.seen = new LineDigestTable(expectedLines);
  }

  /** Starts file `k`, read in `ranges` ranges. */
  startFile(k: number, ranges: number): void {
    this.fileIds[k] = this.nextId;
    this.log = new IssueLog(this.maxIssues);
    this.log.file = this.files[k] as string;
    this.current = 0;
    this.offsets = [0];
    this.lines = Array.from({ length: ranges }, () => undefined);
    this.waiting = Array.from({ length: ranges }, () => []);
  }

  /** Digest records of range `r` (see `RangeHooks.onDigests`); `reused` when the array will be overwritten. */
  digests(r: number, records: Uint32Array, count: number, reused: boolean): void {
    if (r === this.current) this.insert(records, count, this.offsets[r] as number);
    else (this.waiting[r] as Uint32Array[]).push(reused ? records.slice(0, count * recordWords) : records.subarray(0, count * recordWords));
  }

  /** Range `r` is read: it had `lines` lines. */
  finished(r: number, lines: number): void {
    this.lines[r] = lines;
    while (this.current < this.lines.length && this.lines[this.current] !== undefined) {
      const next = this.current + 1;
      this.offsets[next] = (this.offsets[this.current] as number) + (this.lines[this.current] as number);
      this.current = next;
      const waiting = this.waiting[next];
      if (waiting === undefined) break;
      for (const records of waiting) this.insert(records, records.length / recordWords, this.offsets[next] as number);
      this.waiting[next] = [];
    }
  }

  /** Ends the file: its duplicate issues, and the line count that the next file's ids start after. */
  finishFile(): IssueLog {
    this.nextId += this.offsets[this.offsets.length - 1] as number;
    return this.log;
  }

  private insert(records: Uint32Array, count: number, offset: number): void {
    const base = (this.fileIds[this.fileIds.length - 1] as number) + offset;
    for (let i = 0; i < count; i++) {
      const at = i * recordWords;
      const local = records[at + recordWords - 1] as number;
      const line = offset + local;
      const earlier = this.seen.add(records, at, base + local);
      if (earlier === 0) continue;
      this.log.line = line;
      this.log.add('duplicate_example', `the line repeats ${this.where(earlier)}: duplicates weigh that example more; remove them (fn-distil dataset dedupe).`);
    }
  }

  private where(id: number): string {
    let k = this.fileIds.length - 1;
    while (k > 0 && (this.fileIds[k] as number) >= id) k--;
    const line = id - (this.fileIds[k] as number);
    return k === this.fileIds.length - 1 ? `line ${line}` : `line ${line} of ${this.files[k] as string}`;
  }
}
