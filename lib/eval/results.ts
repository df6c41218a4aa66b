import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { DatasetError } from '../errors.js';

/** What one example's evaluation gave, as stored in the results file (one JSON line each). */
export interface ExampleResult {
  /** Identifies model, settings and example text, so a result is reused only for the very same question. */
  readonly key: string;
  /** 1-based line of the example in the dataset, for reading the file. */
  readonly line: number;
  /** Whether the model gave a schema-valid answer. */
  readonly valid: boolean;
  /** Whether that answer equals the recorded output. */
  readonly exact: boolean;
  /** Per top-level field of the recorded output: whether the answer matched it. */
  readonly fields: Readonly<Record<string, boolean>>;
  readonly latencyMs: number;
  /** Requests made: 1, plus re-asks. */
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Why the last answer was invalid, when it was. */
  readonly error?: string;
}

/** What makes two runs ask the same question: the model and the request settings. */
export interface ResultSettings {
  readonly model: string;
  readonly reasks: number;
  readonly omitSchema: boolean;
  readonly temperature: number | null;
}

/** The key of an example under `settings`: another model or setting asks anew. */
export function resultKey(settings: ResultSettings, lineText: string): string {
  return createHash('sha256').update(JSON.stringify(settings)).update('\n').update(lineText).digest('hex').slice(0, 32);
}

/**
 * The results file: read once at the start (a torn line from a killed run is dropped),
 * then appended one complete line per example as soon as its result is known.
 */
export class ResultsFile {
  readonly previous = new Map<string, ExampleResult>();

  constructor(
    readonly file: string,
    fresh: boolean,
  ) {
    if (fresh) rmSync(file, { force: true });
    if (!existsSync(file)) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new DatasetError(file, undefined, `Cannot read the results file ${file}: ${(cause as Error).message}.`, { cause });
    }
    let torn = false;
    const kept: string[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const result = JSON.parse(line) as ExampleResult;
        if (typeof result.key !== 'string') throw new TypeError('no key');
        this.previous.set(result.key, result);
        kept.push(line);
      } catch {
        torn = true; // a line cut short by a killed run: that example is simply asked again
      }
    }
    if (torn) {
      // Rewrite without it (atomically), so the file stays one complete result per line.
      writeFileSync(`${file}.partial`, kept.map((line) => `${line}\n`).join(''));
      renameSync(`${file}.partial`, file);
    }
  }

  /** Appends one result, whole, before the next example starts counting on it. */
  add(result: ExampleResult): void {
    try {
      appendFileSync(this.file, `${JSON.stringify(result)}\n`);
    } catch (cause) {
      throw new DatasetError(this.file, undefined, `Cannot write the results file ${this.file}: ${(cause as Error).message}.`, { cause });
    }
  }
}
