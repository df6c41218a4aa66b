import { createWriteStream, renameSync, rmSync, statSync, type Stats, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type OpenAI from 'openai';
import { ConfigurationError, DatasetError } from '../errors.js';
import { formatNumber } from '../dataset/numbers.js';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** Called as the content arrives, with bytes received so far. */
  readonly onProgress?: (bytesReceived: number) => void;
  /** Replace `output` if it exists. @default false: an existing file is refused, untouched */
  readonly overwrite?: boolean;
}

/**
 * Downloads a file's content to `output`, streamed. The content goes to `<output>.partial`,
 * renamed into place once complete, so a broken connection or a full disk never leaves a torn
 * file where a complete one is expected. Before anything is asked, an output that exists
 * (unless `overwrite`), is a directory, or whose folder does not exist is a ConfigurationError
 * (`output`): no folder is created. Resolves to the number of bytes written.
 */
export async function downloadFile(client: OpenAI, id: string, output: string, options: DownloadFileOptions = {}): Promise<number> {
  checkOutput(id, output, options.overwrite ?? false);
  const response = await content(client, id);
  const partial = `${output}.partial`;
  let received = 0;
  let file: WriteStream | undefined;
  try {
    file = createWriteStream(partial);
    await pipeline(body(response), counter((bytes) => {
      received += bytes;
      options.onProgress?.(received);
    }), file);
    renameSync(partial, output);
  } catch (cause) {
    // The file may still be opening when the source fails: removed before that, it would reappear.
    // (Not `once(file, 'close')`: it rejects on the 'error' the failed pipeline gives the file.)
    const opened = file;
    if (opened !== undefined && !opened.closed) await new Promise<void>((resolve) => opened.once('close', () => resolve()));
    rmSync(partial, { force: true });
    throw new DatasetError(output, undefined, `Downloading ${id} to ${output} failed after ${formatNumber(received)} bytes: ${(cause as Error).message}. Nothing was written; try again.`, { cause });
  }
  return received;
}

/** Writes a file's content to a stream such as stdout, as it arrives. */
export async function streamFile(client: OpenAI, id: string, destination: Writable): Promise<number> {
  const response = await content(client, id);
  let received = 0;
  try {
    await pipeline(body(response), counter((bytes) => (received += bytes)), destination, { end: false });
  } catch (cause) {
    throw new DatasetError('-', undefined, `Downloading ${id} broke off after ${formatNumber(received)} bytes: ${(cause as Error).message}. What was written is incomplete; try again.`, { cause });
  }
  return received;
}

/** Refuses an output the download must not write: an existing file, a directory, a path in no folder. */
function checkOutput(id: string, output: string, overwrite: boolean): void {
  const stats = statOrUndefined(output);
  if (stats?.isDirectory() === true) {
    throw new ConfigurationError('output', `${output} is a directory: give the file to write, e.g. ${join(output, id)}. Nothing was downloaded.`);
  }
  if (stats !== undefined && !overwrite) {
    throw new ConfigurationError('output', `${output} already exists: nothing was downloaded. Give another output, or replace it with --force (\`overwrite: true\` in code).`);
  }
  const folder = dirname(output);
  const parent = statOrUndefined(folder);
  if (parent === undefined) throw new ConfigurationError('output', `The folder ${folder} does not exist: nothing was downloaded. Create it first, or give an output in a folder that exists.`);
  if (!parent.isDirectory()) throw new ConfigurationError('output', `${folder} is not a folder: nothing was downloaded. Give an output in a folder that exists.`);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// The client asks for `application/binary`; the spec declares JSON for this endpoint, and the
// content is whatever the file holds (JSONL, CSV). Accepting anything suits every server.
function content(client: OpenAI, id: string): Promise<Response> {
  return client.files.content(id, { headers: { Accept: '*/*' } });
}

function body(response: Response): Readable {
  return response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

function counter(onBytes: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}
