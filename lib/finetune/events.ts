import type OpenAI from 'openai';
import type { FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';

/** Events fetched per request. */
const pageSize = 100;

/**
 * A job's events not in `seen`, oldest first, and adds them to `seen`. The API lists events
 * newest first, so this pages back until it meets an event it has already seen (or the start):
 * one request per poll however long the job has run, and every event exactly once even when many
 * arrive between two polls.
 */
export async function newEvents(client: OpenAI, jobId: string, seen: Set<string>): Promise<FineTuningJobEvent[]> {
  const fresh: FineTuningJobEvent[] = [];
  const collected = new Set<string>();
  let page = await client.fineTuning.jobs.listEvents(jobId, { limit: pageSize });
  for (;;) {
    let metKnown = false;
    for (const event of page.data) {
      // A repeat within this walk means the server ignores `after`: stop rather than loop.
      if (seen.has(event.id) || collected.has(event.id)) {
        metKnown = true;
        break;
      }
      collected.add(event.id);
      fresh.push(event);
    }
    if (metKnown || !page.hasNextPage()) break;
    page = await page.getNextPage();
  }
  for (const id of collected) seen.add(id);
  return fresh.reverse();
}
