import { once } from 'node:events';
import type { transport as Transport } from 'winston';
import type { CaptureStage } from '../errors.js';
import { batchOfLines, type Batch } from './batch.js';
import { brokenBy, deliver, ended, eolOf, fileStream, ownStream, rotates, writeState, writesFile } from './deliver.js';
import { Runs } from './owners.js';
import { cutTornLine, Handed, type Repair } from './repair.js';
import { Spool } from './spool.js';

/** How a sink tells its owner that examples were not written. */
export type SinkReport = (stage: CaptureStage, examples: number, message: string, cause?: unknown) => void;

export interface SinkOptions {
  /** Where lines go; read at each delivery, so a logger's current transports are used. */
  readonly transports: () => readonly Transport[];
  /** Whether `close()` ends the transports (given as `transports`) or leaves them (a user's `logger`). */
  readonly owned: boolean;
  /** Lines held in memory before they are parked in a spool file. */
  readonly maxBufferedBytes: number;
  /** About how many bytes go to a transport in one write. */
  readonly batchBytes: number;
  /** Where reports go; for a shared sink, only those of lines whose owner cannot be known. */
  readonly report: SinkReport;
  /**
   * Several functions write into it (`createInstructions`' shared destination): each registers
   * with `addOwner`, and gets the reports of its own lines and its own `maxBufferedBytes`.
   */
  readonly shared?: boolean;
  /** For a borrowed `logger`: whether it was ended (it then drops its transports). */
  readonly ended?: () => boolean;
}

const endedHint = 'it was ended before this wrapper was done';
const endedAdvice = {
  owned:
    'It gets no more examples: a transport given to several distil() wrappers belongs to each of them, and the first close() ends it (or your code ended it). ' +
    'To write several functions to one destination, use createInstructions({ transports }) or give each wrapper the same winston `logger`.',
  logger: "It gets no more examples: the logger was ended (logger.end() or logger.close()); end the logger only after the wrapper's close() has resolved.",
} as const;

/** A function writing into a shared sink: where its reports go, and how many bytes of its lines may wait in memory. */
export interface SinkOwner {
  readonly report: SinkReport;
  readonly maxBufferedBytes: number;
}

/** What an example captured once `close()` has begun is reported as. */
export const closedMessage = 'An example was captured after close() began; it was not written. Call close() only once the function is no longer used.';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes complete lines synchronously and never throws; delivers them in order, in batches, to
 * every transport; knows when they are written. Every line either reaches each transport or is
 * counted in a report.
 *
 * One loop (`drain`) does all delivery and all settling, so a `flush()` never races a delivery:
 * it waits until the loop has delivered every line accepted before it, then the loop lets the
 * transports finish writing before it hands them anything newer.
 */
export class Sink {
  private queue: string[] = [];
  private queuedBytes = 0;
  private readonly spool: Spool;
  /** Owner 0 is the sink's own `report` and `maxBufferedBytes`; a shared sink adds one per function. */
  private readonly owners: SinkOwner[];
  /** For a shared sink: who wrote the queued lines, and how many bytes each owner has queued. */
  private queueRuns: Runs | undefined;
  private readonly ownerBytes: number[] = [0];
  /** For a shared sink: who wrote the lines of `unconfirmed`, per transport. */
  private readonly unconfirmedRuns = new Map<Transport, Runs>();
  /** Set when close() ends the owned transports: any other end is someone else's. */
  private ending = false;
  private running: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Lines accepted so far, and lines delivered or reported lost so far: flush() waits on these. */
  private accepted = 0;
  private accounted = 0;
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  private readonly failed = new Set<Transport>();
  /** Lines handed to a transport and not yet seen written to its destination. */
  private readonly unconfirmed = new Map<Transport, number>();
  /** For transports writing to a file: where the file stood at the last confirmation, to count what a failed write left. */
  private readonly handed = new Map<Transport, Handed>();
  /** Per transport, a promise that resolves when it fails (one listener, not one per batch). */
  private readonly failures = new WeakMap<Transport, { promise: Promise<void>; resolve: () => void }>();

  constructor(private readonly options: SinkOptions) {
    const shared = options.shared === true;
    this.spool = new Spool(shared);
    this.owners = [{ report: options.report, maxBufferedBytes: options.maxBufferedBytes }];
    if (shared) this.queueRuns = new Runs();
    if (options.owned) for (const transport of options.transports()) this.watch(transport);
  }

  /** Registers a function writing into a shared sink; returns the `owner` its `write`s pass. */
  addOwner(owner: SinkOwner): number {
    this.ownerBytes.push(0);
    return this.owners.push(owner) - 1;
  }

  /** Takes one complete line; `owner` is the writer's number in a shared sink. */
  write(line: string, owner = 0): void {
    if (this.closing !== undefined) {
      (this.owners[owner] ?? this.owners[0]!).report('closed', 1, closedMessage);
      return;
    }
    this.accepted++;
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (this.queueRuns === undefined) {
      if (this.queuedBytes > this.options.maxBufferedBytes) this.spill();
    } else {
      this.queueRuns.push(owner, 1);
      const bytes = (this.ownerBytes[owner] ?? 0) + line.length;
      this.ownerBytes[owner] = bytes;
      if (bytes > (this.owners[owner] ?? this.owners[0]!).maxBufferedBytes) this.spill();
    }
    this.start();
  }

  /** Resolves when every line accepted so far has reached its transports' destinations. */
  flush(): Promise<void> {
    const done = new Promise<void>((resolve) => this.waiters.push({ target: this.accepted, resolve }));
    this.start();
    return done;
  }

  /** Stops accepting lines, flushes, then ends owned transports and waits until they finish. */
  close(): Promise<void> {
    this.closing ??= this.flush().then(async () => {
      this.spool.dispose();
      if (!this.options.owned) return;
      this.ending = true;
      await Promise.all(
        this.options.transports().map(async (transport) => {
          // Ended already (by another wrapper given the same transport, or by the user): its 'finish' has passed.
          if (ended(transport)) return;
          // A failed transport may never finish: its destination was destroyed.
          const done = Promise.race([once(transport, 'finish'), once(transport, 'close'), this.failure(transport)]).catch(() => undefined);
          transport.end();
          await done;
        }),
      );
    });
    return this.closing;
  }

  private start(): void {
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  private spill(): void {
    const lines = this.queue;
    const runs = this.queueRuns;
    this.queue = [];
    this.queuedBytes = 0;
    if (runs !== undefined) {
      this.queueRuns = new Runs();
      this.ownerBytes.fill(0);
    }
    try {
      this.spool.append(lines, runs);
    } catch (cause) {
      this.lost(
        'overflow',
        lines.length,
        runs,
        (count) => `${count} examples arrived faster than the transports took them and could not be parked in a temporary file: ${(cause as Error).message}. Free disk space in the temp directory or raise \`maxBufferedBytes\`.`,
        cause,
      );
    }
  }

  private lost(stage: CaptureStage, count: number, runs: Runs | undefined, message: (count: number) => string, cause?: unknown): void {
    this.accounted += count;
    this.tell(stage, count, runs, message, cause);
  }

  /**
   * Reports `count` lines not written: to the sink's `report`, or in a shared sink to each owner
   * of `runs` for its own lines (each line costing `per` examples: one per failed transport).
   */
  private tell(stage: CaptureStage, count: number, runs: Runs | undefined, message: (count: number) => string, cause?: unknown, per = 1): void {
    if (runs === undefined) {
      this.options.report(stage, count * per, message(count), cause);
      return;
    }
    for (const [owner, lines] of runs.counts()) (this.owners[owner] ?? this.owners[0]!).report(stage, lines * per, message(lines), cause);
  }

  private next(): Batch | undefined {
    if (!this.spool.empty) {
      try {
        return this.spool.take(this.options.batchBytes);
      } catch (cause) {
        const lost = this.spool.lines;
        const runs = this.spoolOwners();
        this.spool.dispose();
        this.lost('overflow', lost, runs, (count) => `The temporary file holding ${count} examples could not be read back: ${(cause as Error).message}.`, cause);
      }
    }
    if (this.queue.length === 0) return undefined;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && bytes < this.options.batchBytes) bytes += (this.queue[count++] as string).length;
    const batch = count === this.queue.length ? this.queue : this.queue.slice(0, count);
    this.queue = count === this.queue.length ? [] : this.queue.slice(count);
    this.queuedBytes -= bytes;
    if (this.queueRuns === undefined) return batchOfLines(batch);
    const owners = this.queueRuns.shift(count);
    let at = 0;
    owners.forEach((owner, lines) => {
      let ownBytes = 0;
      for (const end = at + lines; at < end; at++) ownBytes += (batch[at] as string).length;
      this.ownerBytes[owner] = (this.ownerBytes[owner] ?? 0) - ownBytes;
    });
    return batchOfLines(batch, owners);
  }

  /** In a shared sink, who wrote the lines still in the spool; `undefined` (report them to the sink's own `report`) if that cannot be read either. */
  private spoolOwners(): Runs | undefined {
    if (this.queueRuns === undefined) return undefined;
    try {
      return this.spool.ownersLeft();
    } catch {
      return undefined;
    }
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = this.next();
        if (batch !== undefined) {
          await this.deliverAll(batch);
          this.accounted += batch.count;
        }
        const due = this.waiters.filter((waiter) => waiter.target <= this.accounted);
        if (due.length > 0) {
          this.waiters = this.waiters.filter((waiter) => waiter.target > this.accounted);
          await Promise.all(this.live().map((transport) => this.settle(transport)));
          for (const waiter of due) waiter.resolve();
        }
        if (batch === undefined && this.waiters.length === 0) return;
        if (batch === undefined) await pause(1);
      }
    } catch (cause) {
      // Unreachable by design (every delivery failure is caught below), but a sink must never
      // take the process down: report what is still waiting and release every flush().
      const waiting = this.accepted - this.accounted;
      this.lost('transport', waiting, undefined, () => `Capture stopped unexpectedly: ${(cause as Error)?.message ?? String(cause)}.`, cause);
      this.queue = [];
      this.spool.dispose();
      for (const waiter of this.waiters) waiter.resolve();
      this.waiters = [];
    } finally {
      this.running = undefined;
    }
  }

  private async deliverAll(batch: Batch): Promise<void> {
    const all = this.options.transports();
    for (const transport of all) {
      this.watch(transport);
      if (this.endedElsewhere(transport)) {
        // Ended and finished: what it was handed before is written; only what comes now is lost.
        if (writeState(transport) === 'written') this.confirm(transport);
        this.fail(transport, new Error(endedHint));
        continue;
      }
      const cause = brokenBy(transport);
      if (cause !== undefined) this.fail(transport, cause);
    }
    const targets = this.live();
    const broken = all.length - targets.length;
    if (all.length === 0) {
      const why = this.options.ended?.() === true
        ? `the logger ${endedHint} (logger.end() or logger.close()); end the logger only after the wrapper's close() has resolved.`
        : 'the logger has none. Add a transport to it.';
      this.tell('transport', batch.count, batch.owners, (count) => `${count} examples had no transport to go to: ${why}`);
    } else if (broken > 0) {
      this.tell('transport', batch.count, batch.owners, (count) => `${count} examples were not written to ${broken} transport(s) that failed earlier.`, undefined, broken);
    }
    await Promise.all(targets.map((transport) => this.deliverTo(transport, batch)));
  }

  /** One batch to one transport; any failure marks that transport failed, never rejects. */
  private async deliverTo(transport: Transport, batch: Batch): Promise<void> {
    if (writeState(transport) === 'written') this.confirm(transport);
    this.unconfirmed.set(transport, (this.unconfirmed.get(transport) ?? 0) + batch.count);
    if (batch.owners !== undefined) {
      let runs = this.unconfirmedRuns.get(transport);
      if (runs === undefined) this.unconfirmedRuns.set(transport, (runs = new Runs()));
      runs.append(batch.owners);
    }
    // First sight: a file still being opened holds nothing yet; an open one starts where its stream is now.
    if (!this.handed.has(transport) && writesFile(transport)) this.handed.set(transport, new Handed(fileStream(transport)));
    // winston's File waits for a drain that never comes once its file stream died (a full disk):
    // look for that while the delivery is pending.
    const watchdog = setInterval(() => {
      const cause = brokenBy(transport);
      if (cause !== undefined) this.fail(transport, cause);
    }, 20);
    try {
      await Promise.race([deliver(transport, batch), this.failure(transport)]);
    } catch (cause) {
      this.fail(transport, cause);
    } finally {
      clearInterval(watchdog);
    }
  }

  private live(): Transport[] {
    return this.options.transports().filter((transport) => !this.failed.has(transport));
  }

  /** Resolves once the transport has written what it accepted, or has failed. */
  private async settle(transport: Transport): Promise<void> {
    while (!this.failed.has(transport)) {
      const state = writeState(transport);
      if (state === 'written') {
        this.confirm(transport);
        return;
      }
      if (state === 'broken') {
        this.fail(transport, brokenBy(transport));
        return;
      }
      await pause(1);
    }
  }

  /** Everything handed to the transport is at its destination. */
  private confirm(transport: Transport): void {
    this.unconfirmed.set(transport, 0);
    this.unconfirmedRuns.get(transport)?.clear();
    this.handed.get(transport)?.confirm(fileStream(transport));
  }

  /** Whether a transport was ended by something other than this sink's close(). */
  private endedElsewhere(transport: Transport): boolean {
    return !this.ending && ended(transport);
  }

  private failure(transport: Transport): Promise<void> {
    return this.failures.get(transport)?.promise ?? Promise.resolve();
  }

  private watch(transport: Transport): void {
    if (this.failures.has(transport)) return;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.failures.set(transport, { promise, resolve });
    // A listener is also what keeps a transport's 'error' from crashing the process.
    transport.on('error', (cause: unknown) => this.fail(transport, cause));
    ownStream(transport)?.on('error', (cause: unknown) => this.fail(transport, cause));
  }

  /**
   * Marks a transport failed once, and reports what it lost. A transport writing to a file is
   * first cut back to its last complete line (a failed write may have left part of one), and the
   * lines that made it are counted, so the report is the examples that are not in the file.
   */
  private fail(transport: Transport, cause: unknown): void {
    if (this.failed.has(transport)) return;
    this.failed.add(transport);
    this.failures.get(transport)?.resolve();
    const handed = this.unconfirmed.get(transport) ?? 0;
    const name = String((transport as { name?: unknown }).name || transport.constructor.name || 'unnamed');
    const ended = this.endedElsewhere(transport);
    // A write racing another's end() fails with "write after end": say what happened instead.
    const reason = ended ? endedHint : ((cause as Error)?.message ?? String(cause));
    const advice = ended ? endedAdvice[this.options.owned ? 'owned' : 'logger'] : 'It gets no more examples. Check the path, permissions and free space.';
    const missing = (count: number): string => (count === 0 ? 'every example handed to it was written' : `up to ${count} examples handed to it may be missing`);
    const stream = fileStream(transport);
    let lost = handed;
    let outcome: (count: number) => string;
    try {
      const repair = stream === undefined ? undefined : cutTornLine(stream, eolOf(transport), this.handed.get(transport), rotates(transport));
      const cut = repair === undefined || repair.removed === 0 ? '' : `; the partial line its failed write left (${repair.removed} bytes) was removed, so the file ends at its last complete line`;
      if (repair === undefined) outcome = missing;
      else if (repair.arrived === undefined) outcome = (count) => `${missing(count)}${count === 0 ? ' to' : ' from'} ${repair.path}${cut}`;
      else {
        lost = Math.max(0, handed - repair.arrived);
        outcome = (count) => `${count} examples did not reach ${repair.path}${cut}`;
      }
    } catch (error) {
      outcome = (count) => `${missing(count)}, and its file may end in a partial line that could not be removed (${(error as Error)?.message ?? String(error)}): cut it at the last newline before using the file`;
    }
    const message = (count: number): string => `The ${name} transport failed (${reason}): ${outcome(count)}. ${advice}`;
    if (this.queueRuns === undefined) {
      this.options.report('transport', lost, message(lost), cause);
      return;
    }
    // Shared: the lines that did not arrive are the last ones handed; each owner hears of its own.
    // If none was lost, every function writing here hears that the transport is gone.
    const runs = this.unconfirmedRuns.get(transport)?.last(lost);
    if (runs !== undefined && runs.lines > 0) this.tell('transport', lost, runs, message, cause);
    else for (const owner of this.owners.length > 1 ? this.owners.slice(1) : this.owners) owner.report('transport', 0, message(0), cause);
  }
}
