import fc from 'fast-check';
import OpenAI from 'openai';
import { FineTuningError } from '../../lib/errors';
import { followJob } from '../../lib/finetune/follow';
import { startFakeFineTuning, type FakeFineTuning, type JobStage } from '../helpers/fake-finetuning';

let fake: FakeFineTuning;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeFineTuning();
  client = new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0 });
});
afterAll(() => fake.close());
afterEach(() => expect(fake.violations).toEqual([]));

// Any number of events per poll, from none to well past one page of the events list (100).
const stage = fc.record({ status: fc.constantFrom('validating_files' as const, 'queued' as const, 'running' as const), events: fc.integer({ min: 0, max: 260 }) });
const ending = fc.constantFrom('succeeded' as const, 'failed' as const, 'cancelled' as const);

describe('followJob', () => {
  it('reports every event exactly once and in order, however many arrive between two polls, and ends as the job ends', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stage, { maxLength: 6 }), ending, fc.integer({ min: 0, max: 3 }), async (stages, end, finalEvents) => {
        const id = `ftjob-prop-${++run}`;
        let n = 0;
        const events = (count: number) => Array.from({ length: count }, () => ({ message: `event ${++n}` }));
        const script: JobStage[] = [...stages.map((s) => ({ status: s.status, events: events(s.events) })), { status: end, events: events(finalEvents) }];
        fake.addJob({ id, trainingFile: 'file-t', stages: script });
        const seen: string[] = [];
        const outcome = await followJob(client, id, { pollInterval: 0, onEvent: (event) => seen.push(event.message) }).then(
          (job) => ({ status: job.status, model: job.fine_tuned_model }),
          (error: unknown) => ({ status: (error as FineTuningError).status, error }),
        );
        expect(seen).toEqual(Array.from({ length: n }, (_, i) => `event ${i + 1}`));
        expect(outcome.status).toBe(end);
        if (end === 'succeeded') expect(outcome).toMatchObject({ model: expect.stringMatching(/^ft:/) });
        else expect((outcome as { error: unknown }).error).toBeInstanceOf(FineTuningError);
      }),
      { numRuns: 40 },
    );
  });
});
