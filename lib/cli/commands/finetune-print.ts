import type { FileObject } from 'openai/resources/files';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import { formatNumber, printTable } from '../output.js';

/** A Unix time in seconds as `YYYY-MM-DD HH:MM:SS` (UTC), or `-`. */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Files as a table. */
export function printFiles(files: readonly FileObject[]): void {
  printTable(
    ['ID', 'Filename', 'Purpose', 'Bytes', 'Status', 'Created (UTC)'],
    files.map((file) => [file.id, file.filename, file.purpose, formatNumber(file.bytes), file.status ?? '-', formatTime(file.created_at)]),
  );
}

/** Jobs as a table. */
export function printJobs(jobs: readonly FineTuningJob[]): void {
  printTable(
    ['ID', 'Status', 'Model', 'Fine-tuned model', 'Training file', 'Created (UTC)', 'Finished (UTC)'],
    jobs.map((job) => [job.id, job.status, job.model, job.fine_tuned_model ?? '-', job.training_file, formatTime(job.created_at), formatTime(job.finished_at)]),
  );
}

/** One event as a line: time, level, message. */
export function eventLine(event: FineTuningJobEvent): string {
  return `${formatTime(event.created_at)}  ${event.level.padEnd(5)}  ${event.message}`;
}

/** One API object as one line of JSON, for streams of objects (events, then the job). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
