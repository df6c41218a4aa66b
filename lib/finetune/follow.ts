import type OpenAI from 'openai';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import { FineTuningError } from '../errors.js';
import { newEvents } from './events.js';
import { deadline, formatDuration, type PollOptions } from './poll.js';

/** Options of {@link followJob}. */
export interface FollowJobOptions extends PollOptions {
  /** Called once per event, oldest first, as they appear. */
  readonly onEvent?: (event: FineTuningJobEvent) => void;
  /** Called after each look at the job. */
  readonly onPoll?: (job: FineTuningJob, elapsedMs: number) => void;
}

/** Defaults of {@link FollowJobOptions}: a look every 10 s, for as long as the job runs (jobs take hours). */
export const followJobDefaults = { pollInterval: 10_000, timeout: Number.POSITIVE_INFINITY } as const satisfies FollowJobOptions;

/** Job states after which nothing changes any more. */
export const finishedStatuses: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows a job to its end, reporting each new event once. Resolves to the succeeded job (with
 * `fine_tuned_model`); a job that fails or is cancelled, or still runs at the timeout, is a
 * FineTuningError. Stopping the wait never stops the job.
 */
export async function followJob(client: OpenAI, id: string, options: FollowJobOptions = {}): Promise<FineTuningJob> {
  const clock = deadline({ pollInterval: options.pollInterval ?? followJobDefaults.pollInterval, timeout: options.timeout ?? followJobDefaults.timeout });
  const seen = new Set<string>();
  for (;;) {
    // The job first, then its events: the events of a job seen finished are all there.
    const job = await client.fineTuning.jobs.retrieve(id);
    for (const event of await newEvents(client, id, seen)) options.onEvent?.(event);
    options.onPoll?.(job, clock.elapsed());
    if (finishedStatuses.has(job.status)) return finished(job);
    if (clock.expired()) {
      throw new FineTuningError(
        id,
        job.status,
        `Stopped waiting for job ${id} after ${formatDuration(clock.elapsed())}: it is still ${job.status} and keeps running. Follow it with \`fn-distil jobs watch ${id}\`.`,
      );
    }
    await clock.sleep();
  }
}

/** The job when it succeeded, else the FineTuningError saying why not. */
export function finished(job: FineTuningJob): FineTuningJob {
  if (job.status === 'succeeded') return job;
  if (job.status === 'cancelled') throw new FineTuningError(job.id, job.status, `Job ${job.id} was cancelled; no model was made. Start a new job to train one.`);
  const error = job.error;
  const reason = error === null || error === undefined ? 'the server gave no reason' : `${error.message}${error.code ? ` (${error.code}${error.param ? `, ${error.param}` : ''})` : ''}`;
  throw new FineTuningError(job.id, job.status, `Job ${job.id} failed: ${reason}. Fix the cause and start a new job.`);
}
