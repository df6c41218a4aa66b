import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type OpenAI from 'openai';
import type { FileObject, FilePurpose } from 'openai/resources/files';
import { inputFile, requireRegularFile, type InputFile } from '../dataset/lines.js';
import { ConfigurationError } from '../errors.js';
import { withRetries } from './retry.js';

/** Options of {@link uploadFile}. */
export interface UploadFileOptions {
  /** What the file is for. @default 'fine-tune' */
  readonly purpose?: FilePurpose;
  /** Called as the file is sent, with bytes sent so far and the file's size. */
  readonly onProgress?: (bytesSent: number, totalBytes: number) => void;
  /** Tries after a connection error, 408, 409, 429 or 5xx. @default the client's `maxRetries` */
  readonly retries?: number;
  /**
   * Milliseconds an upload may take to send the file and get the answer.
   * @default the client's `timeout`, but at least `minTimeout` (10 minutes)
   */
  readonly timeout?: number;
}

/**
 * Defaults of {@link UploadFileOptions}. `minTimeout` is the `openai` client's own default: a
 * client set up with a short timeout for ordinary requests must not cut off a large upload.
 */
export const uploadFileDefaults = { purpose: 'fine-tune', minTimeout: 10 * 60_000 } as const satisfies UploadFileOptions & { readonly minTimeout: number };

const chunkSize = 1 << 20;

/**
 * Uploads a local file to `/files`, streamed from disk and reporting progress as the bytes go out.
 * A missing or unreadable file, or a pipe (which cannot be sent twice), is a DatasetError before
 * anything is sent. Node's fetch keeps what
 * a request has sent until it ends (https://github.com/nodejs/undici/issues/4058, the same with a
 * FormData body), so memory still grows with the file: measured 295 MB peak RSS for 200 MB.
 */
export async function uploadFile(client: OpenAI, file: string, options: UploadFileOptions = {}): Promise<FileObject> {
  const total = requireUploadable(file).size;
  const purpose = options.purpose ?? uploadFileDefaults.purpose;
  const timeout = options.timeout ?? Math.max(client.timeout, uploadFileDefaults.minTimeout);
  const toStreamingFile = await streamingFiles();
  return withRetries(options.retries ?? client.maxRetries, async () => {
    options.onProgress?.(0, total);
    const body = toStreamingFile(readCounting(file, (sent) => options.onProgress?.(sent, total)), basename(file));
    return client.files.create({ file: body, purpose }, { timeout });
  });
}

/**
 * openai's `toStreamingFile`, added in 6.47.0 (the peer range's minimum). Not every package
 * manager enforces peer ranges, so an older copy may be installed: say so, not a TypeError.
 */
async function streamingFiles(): Promise<typeof import('openai').toStreamingFile> {
  // Loaded here: `openai` is an optional peer, and the dataset commands run without it.
  const openai: Partial<typeof import('openai')> = await import('openai');
  if (typeof openai.toStreamingFile === 'function') return openai.toStreamingFile;
  throw new ConfigurationError('openai', 'Uploading needs openai 6.47 or later, which streams files from disk; the installed `openai` is older. Update it: npm install openai@^6.47.');
}

async function* readCounting(file: string, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: chunkSize })) {
    sent += (chunk as Buffer).length;
    onBytes(sent);
    yield chunk as Buffer;
  }
}

/** The file to upload, or a DatasetError for one that cannot be: missing, a directory, a pipe. */
export function requireUploadable(file: string): InputFile {
  const input = inputFile(file);
  requireRegularFile(input, `Cannot upload ${file}`, 'an upload is sent again from the start when it is retried');
  return input;
}
