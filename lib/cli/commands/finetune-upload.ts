import { basename } from 'node:path';
import type OpenAI from 'openai';
import type { FileObject, FilePurpose } from 'openai/resources/files';
import { fileSize } from '../../dataset/lines.js';
import { validateDataset, type DatasetIssue } from '../../dataset/validate.js';
import { DatasetError } from '../../errors.js';
import { processingFailure, waitForFile, waitForFileDefaults } from '../../finetune/processing.js';
import { uploadFile } from '../../finetune/upload.js';
import { formatNumber, progress } from '../output.js';
import { pollOptions, type PollingFlags } from './finetune-options.js';

/** Which tokenizer and limit the local checks use (the `withTargetModel` flags). */
export interface TargetFlags {
  readonly model: string;
  readonly encoding?: string;
  readonly tokenLimit?: number;
}

/** Errors printed before refusing a file; the rest are counted. */
const shownErrors = 5;

/**
 * Checks a dataset file locally before it is uploaded, and refuses it (DatasetError, nothing
 * sent) when it has errors: the first few go to stderr with file:line, then the count.
 */
export async function checkBeforeUpload(file: string, target: TargetFlags, checks: { readonly minExamples?: number } = {}): Promise<void> {
  const bar = progress(`Checking ${basename(file)}`, fileSize(file), 'bytes');
  let report;
  try {
    report = await validateDataset([file], {
      model: target.model,
      ...(target.encoding === undefined ? {} : { encoding: target.encoding }),
      ...(target.tokenLimit === undefined ? {} : { tokenLimit: target.tokenLimit }),
      onProgress: (bytes) => bar.update(bytes),
      ...checks,
    });
  } finally {
    bar.stop();
  }
  const { errors, warnings } = report;
  if (errors.length > 0) {
    for (const issue of errors.slice(0, shownErrors)) process.stderr.write(`${where(issue)}: ${issue.message} (${issue.check})\n`);
    const more = errors.length > shownErrors ? `; the first ${shownErrors} are above` : '';
    throw new DatasetError(
      file,
      errors[0]?.line,
      `${file} has ${formatNumber(errors.length)} error(s)${more}; nothing was uploaded. List them all with \`fn-distil dataset validate ${file}\` and fix them, or pass --skip-validation.`,
    );
  }
  const warned = warnings.length === 0 ? '' : `, ${formatNumber(warnings.length)} warning(s) (see \`fn-distil dataset validate ${file}\`)`;
  process.stderr.write(`Checked ${file}: ${formatNumber(report.examples)} example${report.examples === 1 ? '' : 's'}, no errors${warned}.\n`);
}

function where(issue: DatasetIssue): string {
  return issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
}

/** Uploads a file with a progress bar on a terminal. */
export async function uploadWithProgress(client: OpenAI, file: string, purpose: FilePurpose): Promise<FileObject> {
  const bar = progress(`Uploading ${basename(file)}`, fileSize(file), 'bytes');
  try {
    return await uploadFile(client, file, { purpose, onProgress: (sent) => bar.update(sent) });
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
