import fc from 'fast-check';
import { jobRequest, type Hyperparameters, type JobSpec } from '../../lib/finetune/job';
import { openApiValidator } from '../helpers/openapi';

const createJob = openApiValidator('openapi.json', 'CreateFineTuningJobRequest');
const auto = fc.constant('auto' as const);

// Within OpenAI's documented ranges: the request must then be one the official API accepts.
const hyperparameters: fc.Arbitrary<Hyperparameters> = fc.record(
  {
    nEpochs: fc.oneof(auto, fc.integer({ min: 1, max: 50 })),
    batchSize: fc.oneof(auto, fc.integer({ min: 1, max: 256 })),
    learningRateMultiplier: fc.oneof(auto, fc.double({ min: 0.001, max: 10, noNaN: true })),
  },
  { requiredKeys: [] },
);
const spec: fc.Arbitrary<JobSpec> = fc.record(
  {
    model: fc.string({ minLength: 1 }),
    trainingFile: fc.string({ minLength: 1 }),
    validationFile: fc.string({ minLength: 1 }),
    suffix: fc.string({ minLength: 1, maxLength: 64 }),
    seed: fc.integer({ min: 0, max: 2_147_483_647 }),
    hyperparameters,
  },
  { requiredKeys: ['model', 'trainingFile'] },
);

describe('jobRequest', () => {
  it('builds a request the official schema accepts, with the supervised method, and sends only what was set', () => {
    fc.assert(
      fc.property(spec, (job) => {
        const request = jobRequest(job);
        expect(createJob(request)).toBe(true);
        expect(request).not.toHaveProperty('hyperparameters');
        expect(request.method?.type).toBe('supervised');
        const sent = request.method?.supervised?.hyperparameters ?? {};
        const { nEpochs, batchSize, learningRateMultiplier } = job.hyperparameters ?? {};
        expect(sent).toEqual({
          ...(nEpochs === undefined ? {} : { n_epochs: nEpochs }),
          ...(batchSize === undefined ? {} : { batch_size: batchSize }),
          ...(learningRateMultiplier === undefined ? {} : { learning_rate_multiplier: learningRateMultiplier }),
        });
        expect(request.validation_file).toBe(job.validationFile);
        expect(request.suffix).toBe(job.suffix);
        expect(request.seed).toBe(job.seed);
        expect(Object.keys(request).filter((key) => (request as unknown as Record<string, unknown>)[key] === undefined)).toEqual([]);
      }),
    );
  });
});
