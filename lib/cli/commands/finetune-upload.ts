import { basename } from 'node:path';
import type OpenAI from 'openai';
import type { FileObject, FilePurpose } from 'openai/resources/files';
import { severityCounts } from '../../dataset/issues.js';
import { targetModel, type TargetModelOptions } from '../../dataset/models.js';
import { validateDataset } from '../../dataset/validate.js';
import { ConfigurationError, DatasetError } from '../../errors.js';
import { processingFailure, waitForFile, waitForFileDefaults } from '../../finetune/processing.js';
import { requireUploadable, uploadFile } from '../../finetune/upload.js';
import { byteProgress, plural, progress } from '../output.js';
import { renderIssue } from './dataset-check-output.js';
import { pollOptions, type PollingFlags } from './finetune-options.js';

/** Errors printed before refusing a file; the rest are counted. */
const shownErrors = 5;

// A limit no example reaches, for a model whose limit is unknown: lines no longer in bytes than
// the limit are never tokenized (tokens.ts `mayExceed`), so no tokenizer is even loaded.
const noTokenLimit = { encoding: 'o200k_base', tokenLimit: Number.MAX_SAFE_INTEGER } as const;
// `jobs create-from-file` checks two files with the same flags: the note is said once.
const noted = new WeakSet<TargetModelOptions>();

/**
 * Checks a dataset file locally before it is uploaded, and refuses it (DatasetError, nothing
 * sent) when it has errors: the first few go to stderr as `dataset validate` prints them, then
 * the count. For a model fn-distil does not know (a self-hosted one, say) without `--encoding`
 * and `--token-limit`, every check but the token limit runs, and a note says so.
 */
export async function checkBeforeUpload(file: string, target: TargetModelOptions, checks: { readonly minExamples?: number } = {}): Promise<void> {
  // Before the checks read it: a pipe would be read by them and then have nothing left to send.
  requireUploadable(file);
  const known = knowsTokenLimit(target);
  if (!known && !noted.has(target)) {
    noted.add(target);
    process.stderr.write(
      `Note: fn-distil does not know the tokenizer and token limit of ${String(target.model)}, so the examples are checked for everything but their length. ` +
        'To check that too, give --encoding (o200k_base or cl100k_base) and --token-limit.\n',
    );
  }
  const { model, encoding, tokenLimit } = target;
  const bar = byteProgress(`Checking ${basename(file)}`);
  const report = await validateDataset([file], { model, encoding, tokenLimit, ...(known ? {} : noTokenLimit), ...checks, onProgress: bar.update }).finally(bar.stop);
  const { errors, warnings } = severityCounts(report.counts);
  if (errors > 0) {
    const shown = report.errors.slice(0, shownErrors);
    for (const issue of shown) process.stderr.write(`${renderIssue(issue)}\n`);
    const more = errors > shown.length ? `; the first ${shown.length} are above` : '';
    throw new DatasetError(
      file,
      shown[0]?.line,
      `${file} has ${plural(errors, 'error')}${more}; nothing was uploaded. List them all with \`fn-distil dataset validate ${file}\` and fix them, or pass --skip-validation.`,
    );
  }
  const warned = warnings === 0 ? '' : `, ${plural(warnings, 'warning')} (see \`fn-distil dataset validate ${file}\`)`;
  process.stderr.write(`Checked ${file}: ${plural(report.examples, 'example')}, no errors${warned}.\n`);
}

/** Whether the target model's tokenizer and token limit are known, or given. */
function knowsTokenLimit(target: TargetModelOptions): boolean {
  try {
    targetModel(target);
    return true;
  } catch (error) {
    if (error instanceof ConfigurationError && error.option === 'model') return false;
    throw error;
  }
}

/** Uploads a file with a progress bar on a terminal. */
export async function uploadWithProgress(client: OpenAI, file: string, purpose: FilePurpose): Promise<FileObject> {
  const bar = byteProgress(`Uploading ${basename(file)}`);
  try {
    return await uploadFile(client, file, { purpose, onProgress: bar.update });
  } finally {
    bar.stop();
  }
}

/**
 * Waits for an uploaded file to be processed, with a progress bar of the time waited on a
 * terminal. `uploaded` is the file as the upload answered, which may already be processed.
 */
export async function waitWithProgress(client: OpenAI, id: string, flags: PollingFlags, uploaded?: FileObject): Promise<FileObject> {
  const status = uploaded?.status as string | undefined;
  if (uploaded !== undefined && (status === undefined || status === 'processed')) return uploaded;
  const failure = uploaded === undefined ? undefined : processingFailure(uploaded);
  if (failure !== undefined) throw failure;
  const timeout = flags.waitTimeout ?? waitForFileDefaults.timeout;
  const bar = progress(`Waiting for ${uploaded?.filename ?? id} to be processed`, Math.ceil(timeout / 1000), 's');
  try {
    return await waitForFile(client, id, { ...pollOptions(flags), onPoll: (_file, elapsed) => bar.update(Math.round(elapsed / 1000)) });
  } finally {
    bar.stop();
  }
}
