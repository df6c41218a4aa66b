import { Option, type Command } from 'commander';
import type { FilePurpose } from 'openai/resources/files';
import { FineTuningError } from '../../errors.js';
import { downloadFile, streamFile } from '../../finetune/download.js';
import { processingFailure } from '../../finetune/processing.js';
import { apiClient, type ConnectionOptions } from '../client.js';
import { plural, printJson, printList } from '../output.js';
import { withExamples } from '../help.js';
import { number, withConnection, withTargetModel } from '../options.js';
import { withPolling, type PollingFlags } from './finetune-options.js';
import { printFiles } from './finetune-print.js';
import type { TargetModelOptions } from '../../dataset/models.js';
import { checkBeforeUpload, uploadWithProgress, waitWithProgress } from './finetune-upload.js';

const purposes: readonly FilePurpose[] = ['fine-tune', 'batch', 'assistants', 'vision', 'user_data', 'evals'];

interface UploadFlags extends ConnectionOptions, PollingFlags, TargetModelOptions {
  readonly purpose: FilePurpose;
  readonly skipValidation?: boolean;
  readonly wait: boolean;
  readonly json?: boolean;
}

/** Registers `fn-distil files`: upload, list, status, download, delete. */
export function registerFiles(program: Command): void {
  const files = program.command('files').description('upload, list, inspect, download and delete files on the API (training data and results)');

  const upload = files
    .command('upload')
    .description('check a dataset locally, upload it, and wait until the server has processed it')
    .argument('<file>', 'JSONL file to upload')
    .addOption(new Option('--purpose <purpose>', 'what the file is for; only fine-tune files are checked locally').choices(purposes).default('fine-tune'))
    .option('--skip-validation', 'upload without checking the file locally first')
    .option('--no-wait', 'return as soon as the file is uploaded, without waiting for processing')
    .option('--json', 'print the file object as JSON');
  withExamples(withPolling(withTargetModel(withConnection(upload, { uploads: true })), { files: true }), ['files upload math_finetunes.train.jsonl', 'files upload math_finetunes.train.jsonl --no-wait --json']).action(async (file: string, flags: UploadFlags) => {
    const client = await apiClient(flags);
    if (flags.purpose === 'fine-tune' && flags.skipValidation !== true) await checkBeforeUpload(file, flags);
    let uploaded = await uploadWithProgress(client, file, flags.purpose);
    if (flags.wait) uploaded = await waitWithProgress(client, uploaded.id, flags, uploaded);
    if (flags.json === true) printJson(uploaded);
    else process.stdout.write(`Uploaded ${file} as ${uploaded.id} (${plural(uploaded.bytes, 'byte')}, ${uploaded.status ?? 'no status'}).\n`);
  });

  const list = files
    .command('list')
    .description('list files, newest first')
    .option('--purpose <purpose>', 'only files with this purpose, e.g. fine-tune or fine-tune-results')
    .addOption(new Option('--limit <n>', 'how many files').argParser(number({ min: 1, integer: true })).default(20))
    .option('--json', 'print the file objects as a JSON array');
  withExamples(withConnection(list), ['files list', 'files list --purpose fine-tune --limit 5 --json']).action(async (flags: ConnectionOptions & { purpose?: string; limit: number; json?: boolean }) => {
    const client = await apiClient(flags);
    const page = await client.files.list({ limit: flags.limit, order: 'desc', ...(flags.purpose === undefined ? {} : { purpose: flags.purpose }) });
    printList(page.data.slice(0, flags.limit), flags.json, 'No files.', printFiles);
  });

  const status = files
    .command('status')
    .description("show a file's processing status (exit code 1 if the server could not process it)")
    .argument('<file-id>', 'id of an uploaded file')
    .option('--wait', 'wait until the server has processed the file')
    .option('--json', 'print the file object as JSON');
  withExamples(withPolling(withConnection(status), { files: true }), ['files status file-abc123', 'files status file-abc123 --wait']).action(async (id: string, flags: ConnectionOptions & PollingFlags & { wait?: boolean; json?: boolean }) => {
    const client = await apiClient(flags);
    const file = flags.wait === true ? await waitWithProgress(client, id, flags) : await client.files.retrieve(id);
    if (flags.json === true) printJson(file);
    else {
      printFiles([file]);
      if (file.status_details !== undefined && file.status_details !== null && file.status_details !== '') process.stdout.write(`Details: ${file.status_details}\n`);
    }
    const failure = processingFailure(file);
    if (failure !== undefined) throw failure;
  });

  const download = files
    .command('download')
    .description("download a file's content, e.g. a job's results file (written in full or not at all)")
    .argument('<file-id>', 'id of the file')
    .argument('<output>', 'where to write it, in a folder that exists; - for stdout')
    .option('--force', 'replace the output file if it exists (without it, an existing file is refused)');
  withExamples(withConnection(download), ['files download file-abc123 results.csv', 'files download file-abc123 results.csv --force', 'files download file-abc123 - | head']).action(async (id: string, output: string, flags: ConnectionOptions & { force?: boolean }) => {
    const client = await apiClient(flags);
    if (output === '-') {
      await streamFile(client, id, process.stdout);
      return;
    }
    const bytes = await downloadFile(client, id, output, { overwrite: flags.force === true });
    process.stdout.write(`Wrote ${plural(bytes, 'byte')} of ${id} to ${output}.\n`);
  });

  const remove = files
    .command('delete')
    .description('delete files from the server')
    .argument('<file-id...>', 'ids of the files')
    .option('--json', 'print the deletion results as a JSON array');
  withExamples(withConnection(remove), ['files delete file-abc123 file-def456']).action(async (ids: string[], flags: ConnectionOptions & { json?: boolean }) => {
    const client = await apiClient(flags);
    const results = [];
    for (const id of ids) {
      const result = await client.files.delete(id);
      if (!result.deleted) throw new FineTuningError(id, 'not deleted', `The server did not delete ${id}${results.length > 0 ? ` (it deleted ${results.map((r) => r.id).join(', ')})` : ''}. Check the id with \`fn-distil files list\`.`);
      results.push(result);
      if (flags.json !== true) process.stdout.write(`Deleted ${id}.\n`);
    }
    if (flags.json === true) printJson(results);
  });
}
