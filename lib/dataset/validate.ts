import { DatasetError } from '../errors.js';
import { readLineBatches } from './lines.js';

/** One problem found in a dataset file. */
export interface DatasetIssue {
  readonly file: string;
  /** 1-based line number; absent for a problem of the whole file (e.g. too few examples). */
  readonly line?: number;
  /** A stable identifier of the check, e.g. `invalid_json`, `too_few_examples`. */
  readonly check: string;
  /** What is wrong and, where it helps, what to do. */
  readonly message: string;
}

/** What `validateDataset` found. */
export interface DatasetReport {
  readonly files: readonly string[];
  /** Examples (non-empty lines) read. */
  readonly examples: number;
  /** Problems that make the file unusable for fine-tuning. */
  readonly errors: readonly DatasetIssue[];
  /** Problems worth a look that do not stop a job (duplicates, no system message). */
  readonly warnings: readonly DatasetIssue[];
}

/** Options of `validateDataset`. */
export interface ValidateDatasetOptions {
  /** Model the data is for: picks the tokenizer and the per-example token limit. @default 'gpt-4o-mini-2024-07-18' */
  readonly model?: string;
  /** Tokenizer for a model fn-distil does not know. */
  readonly encoding?: string;
  /** Per-example token limit for a model fn-distil does not know. */
  readonly tokenLimit?: number;
  /** Called as the files are read, with bytes read so far over all files. */
  readonly onProgress?: (bytesRead: number) => void;
}

/**
 * PLACEHOLDER, replaced by the full checks: reads each file and reports lines that are not JSON
 * objects. The signature is the contract other commands build on.
 */
export async function validateDataset(files: readonly string[], options: ValidateDatasetOptions = {}): Promise<DatasetReport> {
  const errors: DatasetIssue[] = [];
  let examples = 0;
  let offset = 0;
  for (const file of files) {
    let read = 0;
    for await (const batch of readLineBatches(file)) {
      read = batch.bytesRead;
      options.onProgress?.(offset + read);
      batch.lines.forEach((text, i) => {
        if (text.trim() === '') return;
        examples++;
        try {
          const value: unknown = JSON.parse(text);
          if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        } catch {
          errors.push({ file, line: batch.firstLine + i, check: 'invalid_json', message: 'the line is not a JSON object' });
        }
      });
    }
    offset += read;
  }
  if (files.length === 0) throw new DatasetError('', undefined, 'No dataset file given.');
  return { files, examples, errors, warnings: [] };
}
