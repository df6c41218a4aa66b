import type OpenAI from 'openai';
import type { FineTuningJob, JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';

/** A hyperparameter: a value, or `'auto'` to let the server choose (what it does when omitted). */
export type Hyperparameter = number | 'auto';

/** Supervised fine-tuning hyperparameters; each one omitted is left to the server. */
export interface Hyperparameters {
  readonly nEpochs?: Hyperparameter;
  readonly batchSize?: Hyperparameter;
  readonly learningRateMultiplier?: Hyperparameter;
}

/** What a supervised fine-tuning job is made of. */
export interface JobSpec {
  /** Base model to fine-tune. */
  readonly model: string;
  /** Id of an uploaded, processed training file. */
  readonly trainingFile: string;
  /** Id of an uploaded, processed validation file. */
  readonly validationFile?: string;
  /** Up to 64 characters added to the fine-tuned model's name. */
  readonly suffix?: string;
  /** Seed for a reproducible job. */
  readonly seed?: number;
  readonly hyperparameters?: Hyperparameters;
}

/**
 * The request body for a job: supervised `method` with its hyperparameters (the top-level
 * `hyperparameters` field is deprecated), and nothing the caller did not set.
 */
export function jobRequest(spec: JobSpec): JobCreateParams {
  const { nEpochs, batchSize, learningRateMultiplier } = spec.hyperparameters ?? {};
  return {
    model: spec.model,
    training_file: spec.trainingFile,
    ...(spec.validationFile === undefined ? {} : { validation_file: spec.validationFile }),
    ...(spec.suffix === undefined ? {} : { suffix: spec.suffix }),
    ...(spec.seed === undefined ? {} : { seed: spec.seed }),
    method: {
      type: 'supervised',
      supervised: {
        hyperparameters: {
          ...(nEpochs === undefined ? {} : { n_epochs: nEpochs }),
          ...(batchSize === undefined ? {} : { batch_size: batchSize }),
          ...(learningRateMultiplier === undefined ? {} : { learning_rate_multiplier: learningRateMultiplier }),
        },
      },
    },
  };
}

/** Creates a supervised fine-tuning job. The server's 4xx (unknown model, file not ready) stays the client's APIError. */
export function createJob(client: OpenAI, spec: JobSpec): Promise<FineTuningJob> {
  return client.fineTuning.jobs.create(jobRequest(spec));
}
