import { Option, type Command } from 'commander';
import type OpenAI from 'openai';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { finishedStatuses, followJob } from '../../finetune/follow.js';
import { formatDuration } from '../../finetune/poll.js';
import { createJob, type JobSpec } from '../../finetune/job.js';
import { apiClient, type ConnectionOptions } from '../client.js';
import { printJson, printList, statusLine } from '../output.js';
import { withExamples } from '../help.js';
import { number, withConnection } from '../options.js';
import { pollOptions, withBaseModel, withJobOptions, withPolling, type JobFlags, type PollingFlags } from './finetune-options.js';
import { eventLine, printJobs, printJsonLine } from './finetune-print.js';
import type { TargetModelOptions } from '../../dataset/models.js';
import { checkBeforeUpload, uploadWithProgress, waitWithProgress } from './finetune-upload.js';
import { checkBaseModel } from '../../finetune/model.js';
import { requireUploadable } from '../../finetune/upload.js';
import { ConfigurationError } from '../../errors.js';

/** Registers `fn-distil jobs`: create-from-file, create-from-id, list, watch, events, cancel. */
export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('create, follow, list and cancel fine-tuning jobs');

  const fromFile = jobs
    .command('create-from-file')
    .description('check a dataset locally, upload it (and a validation file), wait until processed, and start a supervised fine-tuning job')
    .argument('<train>', 'training JSONL file')
    .option('--validation-file <file>', 'validation JSONL file, uploaded and checked like the training file')
    .option('--skip-validation', 'upload without checking the files locally first');
  withExamples(withJobOptions(withBaseModel(withConnection(fromFile, { uploads: true }), { localChecks: true })), [
    'jobs create-from-file math_finetunes.train.jsonl --validation-file math_finetunes.val.jsonl --suffix multiply --wait',
    'jobs create-from-file train.jsonl --model gpt-4.1-mini-2025-04-14 --n-epochs 3 --json',
  ]).action(
    async (train: string, flags: JobFlags & TargetModelOptions & ConnectionOptions & { validationFile?: string; skipValidation?: boolean }) => {
      const client = await apiClient(flags);
      const local = [train, ...(flags.validationFile === undefined ? [] : [flags.validationFile])];
      for (const file of local) requireUploadable(file);
      if (flags.skipValidation !== true) {
        await checkBeforeUpload(train, flags);
        // OpenAI's 10-example minimum is for training; a held-out file may be smaller.
        if (flags.validationFile !== undefined) await checkBeforeUpload(flags.validationFile, flags, { minExamples: 1 });
      }
      // Before uploading files for a model the job would refuse. (After the local checks, so a
      // file with errors is refused without a request.)
      await requireKnownModel(client, flags.model);
      const ids: string[] = [];
      for (const file of local) {
        const uploaded = await uploadWithProgress(client, file, 'fine-tune');
        note(flags, `Uploaded ${file} as ${uploaded.id}.`);
        const ready = flags.waitForFiles ? await waitWithProgress(client, uploaded.id, flags, uploaded) : uploaded;
        ids.push(ready.id);
      }
      const job: JobSpec = { ...spec(flags, ids[0] as string), ...(ids[1] === undefined ? {} : { validationFile: ids[1] }) };
      await startJob(client, job, flags, () => {
        // The uploads worked: say how to use them rather than upload again.
        const validation = ids[1] === undefined ? '' : ` --validation-file-id ${ids[1]}`;
        process.stderr.write(`The files are uploaded; once the cause is fixed, start the job with \`fn-distil jobs create-from-id ${ids[0] as string}${validation} ...\`.\n`);
      });
    },
  );

  const fromId = jobs
    .command('create-from-id')
    .description('start a supervised fine-tuning job on files already uploaded (waits until they are processed)')
    .argument('<training-file-id>', 'id of the uploaded training file')
    .option('--validation-file-id <id>', 'id of an uploaded validation file');
  withExamples(withJobOptions(withBaseModel(withConnection(fromId), { localChecks: false })), ['jobs create-from-id file-abc123 --validation-file-id file-def456 --suffix multiply']).action(async (trainingFile: string, flags: JobFlags & ConnectionOptions & { validationFileId?: string }) => {
    const client = await apiClient(flags);
    const ids = [trainingFile, ...(flags.validationFileId === undefined ? [] : [flags.validationFileId])];
    if (flags.waitForFiles) for (const id of ids) await waitWithProgress(client, id, flags);
    await startJob(client, { ...spec(flags, trainingFile), ...(flags.validationFileId === undefined ? {} : { validationFile: flags.validationFileId }) }, flags);
  });

  const list = jobs
    .command('list')
    .description('list fine-tuning jobs, newest first')
    .addOption(new Option('--limit <n>', 'how many jobs').argParser(number({ min: 1, integer: true })).default(20))
    .option('--json', 'print the job objects as a JSON array');
  withExamples(withConnection(list), ['jobs list', 'jobs list --limit 5 --json']).action(async (flags: ConnectionOptions & { limit: number; json?: boolean }) => {
    const client = await apiClient(flags);
    const page = await client.fineTuning.jobs.list({ limit: flags.limit });
    printList(page.data.slice(0, flags.limit), flags.json, 'No fine-tuning jobs.', printJobs);
  });

  const watch = jobs
    .command('watch')
    .description("follow a job to its end, printing new events and the fine-tuned model's name (exit code 1 if it fails or is cancelled)")
    .argument('<job-id>', 'id of the job')
    .option('--json', 'print one JSON object per line: each event, then the job');
  withExamples(withPolling(withConnection(watch), { jobs: true }), ['jobs watch ftjob-abc123', 'jobs watch ftjob-abc123 --json --poll-interval 30000']).action(async (id: string, flags: ConnectionOptions & PollingFlags & { json?: boolean }) => {
    await follow(await apiClient(flags), id, flags);
  });

  const events = jobs
    .command('events')
    .description("list a job's latest events, oldest first")
    .argument('<job-id>', 'id of the job')
    .addOption(new Option('--limit <n>', 'how many of the latest events').argParser(number({ min: 1, integer: true })).default(20))
    .option('--json', 'print the event objects as a JSON array, oldest first');
  withExamples(withConnection(events), ['jobs events ftjob-abc123 --limit 50']).action(async (id: string, flags: ConnectionOptions & { limit: number; json?: boolean }) => {
    const client = await apiClient(flags);
    const page = await client.fineTuning.jobs.listEvents(id, { limit: flags.limit });
    const latest = page.data.slice(0, flags.limit).reverse();
    printList(latest, flags.json, 'No events.', (events) => {
      for (const event of events) process.stdout.write(`${eventLine(event)}\n`);
    });
  });

  const cancel = jobs
    .command('cancel')
    .description('cancel a job that has not finished')
    .argument('<job-id>', 'id of the job')
    .option('--json', 'print the job object as JSON');
  withExamples(withConnection(cancel), ['jobs cancel ftjob-abc123']).action(async (id: string, flags: ConnectionOptions & { json?: boolean }) => {
    const client = await apiClient(flags);
    const job = await client.fineTuning.jobs.cancel(id);
    if (flags.json === true) printJson(job);
    else process.stdout.write(`Cancelled ${job.id} (status: ${job.status}).\n`);
  });
}

function spec(flags: JobFlags, trainingFile: string): JobSpec {
  return {
    model: flags.model,
    trainingFile,
    ...(flags.suffix === undefined ? {} : { suffix: flags.suffix }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    hyperparameters: {
      ...(flags.nEpochs === undefined ? {} : { nEpochs: flags.nEpochs }),
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      ...(flags.learningRateMultiplier === undefined ? {} : { learningRateMultiplier: flags.learningRateMultiplier }),
    },
  };
}

/** Creates the job, prints it, and with --wait follows it. */
async function startJob(client: OpenAI, job: JobSpec, flags: JobFlags, onRefused?: () => void): Promise<void> {
  const created = await createJob(client, job).catch((error: unknown) => {
    onRefused?.();
    throw error;
  });
  if (flags.wait === true) {
    if (flags.json !== true) process.stdout.write(`Created ${created.id} (${created.model}, ${created.status}).\n`);
    await follow(client, created.id, flags);
  } else if (flags.json === true) printJson(created);
  else process.stdout.write(`Created ${created.id} (${created.model}, ${created.status}). Follow it with \`fn-distil jobs watch ${created.id}\`.\n`);
}

/**
 * Follows a job to its end: events as they appear, then the fine-tuned model (or the error). In a
 * terminal, a status line says between events what the job is doing: a job can sit `queued` or
 * `validating_files` for many minutes without a new event.
 */
async function follow(client: OpenAI, id: string, flags: PollingFlags & { json?: boolean }): Promise<void> {
  let last: FineTuningJob | undefined;
  const status = flags.json === true ? undefined : statusLine();
  try {
    const job = await followJob(client, id, {
      ...pollOptions(flags),
      onEvent: (event) => {
        if (flags.json === true) return printJsonLine(event);
        status?.clear();
        process.stdout.write(`${eventLine(event)}\n`);
      },
      onPoll: (polled, elapsed) => {
        last = polled;
        if (finishedStatuses.has(polled.status)) status?.clear();
        else status?.show(`Job ${polled.id} is ${polled.status} (watching for ${elapsed < 1000 ? `${Math.round(elapsed / 1000)} s` : formatDuration(elapsed)})`);
      },
    });
    if (flags.json === true) printJsonLine(job);
    else process.stdout.write(`Job ${job.id} succeeded. Fine-tuned model: ${job.fine_tuned_model ?? '(none reported)'}\n`);
  } catch (error) {
    status?.clear();
    // Machines get the job's last state even when it failed or the wait timed out.
    if (flags.json === true && last !== undefined) printJsonLine(last);
    throw error;
  }
}

/**
 * Refuses a base model the server says it does not have (404), before anything is uploaded. When
 * the server cannot say (no models endpoint, a network error), the job creation will.
 */
async function requireKnownModel(client: OpenAI, model: string): Promise<void> {
  const check = await checkBaseModel(client, model);
  if (check.status !== 'unknown') return;
  const reason = check.reason.replace(/\.+$/, '');
  const list = `curl ${client.baseURL.replace(/\/+$/, '')}/models -H "Authorization: Bearer $OPENAI_API_KEY"`;
  throw new ConfigurationError('--model', `The server does not have the base model ${model} (${reason}): nothing was uploaded. List its models with \`${list}\` and pass one with --model.`);
}

/** A progress note: on stdout, or on stderr when stdout carries JSON. */
function note(flags: { json?: boolean }, text: string): void {
  (flags.json === true ? process.stderr : process.stdout).write(`${text}\n`);
}

