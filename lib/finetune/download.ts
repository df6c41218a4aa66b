import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type OpenAI from 'openai';
import { DatasetError } from '../errors.js';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** Called as the content arrives, with bytes received so far. */
  readonly onProgress?: (bytesReceived: number) => void;
}

/**
 * Downloads a file's content to `output`, streamed. The content goes to `<output>.partial`,
 * renamed into place once complete, so a broken connection or a full disk never leaves a torn
 * file where a complete one is expected. Resolves to the number of bytes written.
 */
export async function downloadFile(client: OpenAI, id: string, output: string, options: DownloadFileOptions = {}): Promise<number> {
  const response = await content(client, id);
  const partial = `${output}.partial`;
  let received = 0;
  let file: WriteStream | undefined;
  try {
    mkdirSync(dirname(output), { recursive: true });
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
    throw new DatasetError(output, undefined, `Downloading ${id} to ${output} failed after ${received} bytes: ${(cause as Error).message}. Nothing was written; try again.`, { cause });
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
    throw new DatasetError('-', undefined, `Downloading ${id} broke off after ${received} bytes: ${(cause as Error).message}. What was written is incomplete; try again.`, { cause });
  }
  return received;
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
