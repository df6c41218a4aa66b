import type OpenAI from 'openai';
import type { FileObject } from 'openai/resources/files';
import { FineTuningError } from '../errors.js';
import { deadline, formatDuration, type PollOptions } from './poll.js';

/** Options of {@link waitForFile}. */
export interface WaitForFileOptions extends PollOptions {
  /** Called after each look at the file, with how long the wait has run. */
  readonly onPoll?: (file: FileObject, elapsedMs: number) => void;
}

/** Defaults of {@link WaitForFileOptions}: a look every 5 s, for at most 30 min (as the `openai` client's own wait). */
export const waitForFileDefaults = { pollInterval: 5_000, timeout: 30 * 60_000 } as const satisfies WaitForFileOptions;

/**
 * Waits until the server has processed an uploaded file. Resolves to the processed file; a file
 * the server could not process, or one still processing at the timeout, is a FineTuningError.
 * A file without `status` (the field is deprecated, and other servers may not send it) counts as
 * ready: there is nothing to wait for.
 */
export async function waitForFile(client: OpenAI, id: string, options: WaitForFileOptions = {}): Promise<FileObject> {
  const clock = deadline({ pollInterval: options.pollInterval ?? waitForFileDefaults.pollInterval, timeout: options.timeout ?? waitForFileDefaults.timeout });
  for (;;) {
    const file = await client.files.retrieve(id);
    options.onPoll?.(file, clock.elapsed());
    const status = file.status as string | undefined;
    if (status === undefined || status === 'processed') return file;
    const failure = processingFailure(file);
    if (failure !== undefined) throw failure;
    if (clock.expired()) {
      throw new FineTuningError(
        id,
        status,
        `${file.filename} (${id}) was still ${status} after ${formatDuration(clock.elapsed())}. Check it later with \`fn-distil files status ${id}\`, or wait longer with --wait-timeout.`,
      );
    }
    await clock.sleep();
  }
}

/** The FineTuningError for a file the server could not process (or deleted), else undefined. */
export function processingFailure(file: FileObject): FineTuningError | undefined {
  // Typed as the spec's three values, but older servers also say `deleted` and others say anything.
  const status = file.status as string | undefined;
  if (status === 'deleted') return new FineTuningError(file.id, status, `${file.filename} (${file.id}) was deleted before it was processed. Upload it again.`);
  if (status !== 'error') return undefined;
  const details = file.status_details === undefined || file.status_details === '' ? 'the server gave no details' : file.status_details.replace(/\.$/, '');
  return new FineTuningError(file.id, status, `The server could not process ${file.filename} (${file.id}): ${details}. Fix the file and upload it again.`);
}
