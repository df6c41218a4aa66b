import { once } from 'node:events';
import type { transport as Transport } from 'winston';
import type { CaptureStage } from '../errors.js';
import { brokenBy, deliver, writeState } from './deliver.js';
import { Spool } from './spool.js';
import { batchOfLines, type Batch } from './batch.js';

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
  readonly report: SinkReport;
}

/**
 * Takes complete lines synchronously and never throws; delivers them in order, in batches, to
 * every transport; knows when they are written. Every line either reaches each transport or is
 * counted in a report.
 */
export class Sink {
  private queue: string[] = [];
  private queuedBytes = 0;
  private readonly spool = new Spool();
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly failed = new Set<Transport>();
  /** Lines handed to a transport and not yet seen written to its destination. */
  private readonly unconfirmed = new Map<Transport, number>();
  /** Per transport, a promise that resolves when it fails (one listener, not one per batch). */
  private readonly failures = new WeakMap<Transport, Promise<void>>();
  private readonly resolveFailure = new WeakMap<Transport, () => void>();

  constructor(private readonly options: SinkOptions) {
    if (options.owned) for (const transport of options.transports()) this.watch(transport);
  }

  write(line: string): void {
    if (this.closed) {
      this.options.report('closed', 1, 'An example was captured after close(); it was not written. Call close() only when the function is no longer used.');
      return;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (this.queuedBytes > this.options.maxBufferedBytes) this.spill();
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves when every line written so far has reached its transports' destinations. */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
    await Promise.all(this.live().map((transport) => this.settle(transport)));
  }

  /** Flushes, then ends owned transports and waits until they finish. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.spool.dispose();
    if (!this.options.owned) return;
    await Promise.all(
      this.options.transports().map(async (transport) => {
        if (transport.writableEnded) return;
        // A failed File transport never finishes: its destination was destroyed.
        const done = Promise.race([once(transport, 'finish'), once(transport, 'close'), this.failure(transport)]).catch(() => undefined);
        transport.end();
        await done;
      }),
    );
  }

  private spill(): void {
    const lines = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    try {
      this.spool.append(lines);
    } catch (cause) {
      this.options.report(
        'overflow',
        lines.length,
        `${lines.length} examples arrived faster than the transports took them and could not be parked in a temporary file: ${(cause as Error).message}. Free disk space in the temp directory or raise \`maxBufferedBytes\`.`,
        cause,
      );
    }
  }

  private next(): Batch | undefined {
    if (!this.spool.empty) {
      try {
        return this.spool.take(this.options.batchBytes);
      } catch (cause) {
        const lost = this.spool.lines;
        this.spool.dispose();
        this.options.report('overflow', lost, `The temporary file holding ${lost} examples could not be read back: ${(cause as Error).message}.`, cause);
      }
    }
    if (this.queue.length === 0) return undefined;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && bytes < this.options.batchBytes) bytes += (this.queue[count++] as string).length;
    const batch = count === this.queue.length ? this.queue : this.queue.slice(0, count);
    this.queue = count === this.queue.length ? [] : this.queue.slice(count);
    this.queuedBytes -= bytes;
    return batchOfLines(batch);
  }

  private async drain(): Promise<void> {
    try {
      for (let batch = this.next(); batch !== undefined; batch = this.next()) await this.deliverAll(batch);
    } finally {
      this.running = undefined;
    }
  }

  private async deliverAll(batch: Batch): Promise<void> {
    const all = this.options.transports();
    for (const transport of all) {
      this.watch(transport);
      const cause = brokenBy(transport);
      if (cause !== undefined) this.fail(transport, cause);
    }
    const targets = this.live();
    const broken = all.length - targets.length;
    if (all.length === 0) {
      this.options.report('transport', batch.count, `${batch.count} examples had no transport to go to: the logger has none. Add a transport to it.`);
    } else if (broken > 0) {
      this.options.report('transport', batch.count * broken, `${batch.count} examples were not written to ${broken} transport(s) that failed earlier.`);
    }
    await Promise.all(
      targets.map((transport) => {
        this.unconfirmed.set(transport, (this.unconfirmed.get(transport) ?? 0) + batch.count);
        return Promise.race([deliver(transport, batch), this.failure(transport)]);
      }),
    );
  }

  private live(): Transport[] {
    return this.options.transports().filter((transport) => !this.failed.has(transport));
  }

  /** Resolves once the transport has written what it accepted, or has failed. */
  private async settle(transport: Transport): Promise<void> {
    while (!this.failed.has(transport)) {
      const state = writeState(transport);
      if (state === 'written') {
        this.unconfirmed.set(transport, 0);
        return;
      }
      if (state === 'broken') {
        this.fail(transport, brokenBy(transport));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private failure(transport: Transport): Promise<void> {
    return this.failures.get(transport) ?? Promise.resolve();
  }

  private watch(transport: Transport): void {
    if (this.failures.has(transport)) return;
    let failed!: () => void;
    this.failures.set(transport, new Promise<void>((resolve) => (failed = resolve)));
    this.resolveFailure.set(transport, () => failed());
    // A listener is also what keeps a transport's 'error' from crashing the process.
    transport.on('error', (cause: unknown) => this.fail(transport, cause));
  }

  /** Marks a transport failed once, and reports what it may have lost. */
  private fail(transport: Transport, cause: unknown): void {
    if (this.failed.has(transport)) return;
    this.failed.add(transport);
    this.resolveFailure.get(transport)?.();
    const lost = this.unconfirmed.get(transport) ?? 0;
    const name = (transport as { name?: unknown }).name ?? transport.constructor.name;
    this.options.report(
      'transport',
      lost,
      `The ${String(name)} transport failed (${(cause as Error)?.message ?? String(cause)}): up to ${lost} examples handed to it may be missing, and it gets no more. Check the path, permissions and free space.`,
      cause,
    );
  }
}
