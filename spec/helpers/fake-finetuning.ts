import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ValidateFunction } from 'ajv';
import { runCli, type CliResult } from './cli';
import { openApiValidator } from './openapi';

// An OpenAI-compatible files and fine-tuning server on 127.0.0.1, scripted by the tests. Files
// move from `uploaded` to `processed` (or `error`) as they are polled; jobs move through their
// scripted stages one retrieve at a time, adding events as they go. Every JSON body it answers is
// checked against OpenAI's official schema, and every job request too, so the fake cannot drift
// from the real API: a mismatch is recorded in `violations` (tests assert it stays empty).

type Json = Record<string, unknown>;
export type JobStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the `/v1` prefix, e.g. `/fine_tuning/jobs`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
  /** Parsed JSON body, or for a multipart upload its fields and files. */
  readonly body?: unknown;
}

/** What a multipart upload carried. */
export interface UploadBody {
  readonly fields: Record<string, string>;
  readonly files: Array<{ field: string; filename: string; content: Buffer }>;
}

/**
 * How an uploaded file gets processed: `uploaded` in the upload's answer and on each retrieve
 * until the `polls`-th, which shows the outcome (0: the upload's answer already does).
 */
export interface FileScript {
  /** @default 1 */
  readonly polls?: number;
  readonly outcome?: 'processed' | 'error';
  /** `status_details` of a file in `error`. */
  readonly details?: string;
}

/** An event a job stage adds. */
export interface ScriptedEvent {
  readonly message: string;
  readonly level?: 'info' | 'warn' | 'error';
  readonly type?: 'message' | 'metrics';
  readonly data?: Json;
}

/** One step of a job's life: its status and the events that appear with it. */
export interface JobStage {
  readonly status: JobStatus;
  readonly events?: readonly ScriptedEvent[];
  /** The job's `error` when the stage is `failed`. */
  readonly error?: { code: string; message: string; param: string | null };
}

/** A stored file. */
export interface StoredFile {
  object: Json;
  content: Buffer;
  /** Retrieves left before the file leaves `uploaded`. */
  pollsLeft: number;
  outcome: 'processed' | 'error';
  details?: string;
  /** Send only the first half of the content, then break the connection. */
  truncate?: boolean;
}

/** A stored job. */
export interface StoredJob {
  object: Json;
  suffix: string | null;
  stages: JobStage[];
  /** Index of the current stage. */
  stage: number;
  events: Json[];
}

/** A canned error reply for the next matching requests. */
interface Failure {
  readonly method: string | undefined;
  readonly path: RegExp;
  readonly status: number;
  readonly body: Json;
  times: number;
}

export interface FakeFineTuning {
  /** Base URL with `/v1`, as OpenAI's. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Responses or job requests the official schemas reject, with Ajv's errors. */
  readonly violations: unknown[];
  readonly files: Map<string, StoredFile>;
  readonly jobs: Map<string, StoredJob>;
  /** Models a job may fine-tune; any other is the API's 400 `model_not_available`. */
  readonly models: Set<string>;
  /**
   * Models the server has but does not fine-tune. `GET /models/{id}` and `GET /models` know
   * these and `models`; any other id is the API's 404 `model_not_found`.
   */
  readonly otherModels: Set<string>;
  /** When set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey: string | undefined;
  /** How each uploaded file will be processed. */
  fileScript: (upload: { filename: string; purpose: string; content: Buffer }) => FileScript;
  /** How each created job will run. */
  jobScript: (request: Json) => readonly JobStage[];
  /** Answers the next `times` requests matching `method` and `path` with an error in the official shape. */
  fail(match: { method?: string; path: RegExp }, status: number, message: string, times?: number): void;
  /** Stores a file as if uploaded and processed, e.g. to seed ids used by docs. */
  addFile(file: { id: string; filename: string; content: string; purpose?: string; status?: 'uploaded' | 'processed' | 'error' }): void;
  /** Stores a job as if created, with its stages (the first is its current state). */
  addJob(job: { id: string; model?: string; trainingFile: string; stages: readonly JobStage[] }): void;
  /** Requests whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  close(): Promise<void>;
}

const schemas = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  let validate = schemas.get(name);
  if (validate === undefined) schemas.set(name, (validate = openApiValidator('openapi.json', name)));
  return validate;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** A job that validates, queues, runs `steps` steps (reported together) and succeeds. */
export function succeeding(steps = 3): JobStage[] {
  return [
    { status: 'validating_files', events: [{ message: 'Validating training file' }] },
    { status: 'queued', events: [{ message: 'Files validated, moving job to queued state' }] },
    { status: 'running', events: [{ message: 'Fine-tuning job started' }] },
    {
      status: 'running',
      events: Array.from({ length: steps }, (_, i) => ({
        message: `Step ${i + 1}/${steps}: training loss=${(1 / (i + 2)).toFixed(2)}`,
        type: 'metrics' as const,
        data: { step: i + 1, total_steps: steps, train_loss: 1 / (i + 2) },
      })),
    },
    { status: 'succeeded', events: [{ message: 'New fine-tuned model created' }, { message: 'The job has successfully completed' }] },
  ];
}

/** A job that starts running and then fails with `message`. */
export function failing(message: string, code = 'invalid_training_file'): JobStage[] {
  return [
    { status: 'validating_files', events: [{ message: 'Validating training file' }] },
    { status: 'running', events: [{ message: 'Fine-tuning job started' }] },
    { status: 'failed', events: [{ message: `Job failed: ${message}`, level: 'error' }], error: { code, message, param: 'training_file' } },
  ];
}

/** Starts the server. */
export async function startFakeFineTuning(): Promise<FakeFineTuning> {
  const requests: RecordedRequest[] = [];
  const violations: unknown[] = [];
  const files = new Map<string, StoredFile>();
  const jobs = new Map<string, StoredJob>();
  const failures: Failure[] = [];
  let sequence = 0;
  const nextId = (prefix: string): string => `${prefix}-${(++sequence).toString().padStart(6, '0')}`;

  const fake: FakeFineTuning = {
    baseURL: '',
    requests,
    violations,
    files,
    jobs,
    models: new Set(['gpt-4o-mini-2024-07-18', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-2025-04-14']),
    otherModels: new Set(['gpt-4o-2024-08-06']),
    apiKey: undefined,
    fileScript: () => ({ polls: 1, outcome: 'processed' }),
    jobScript: () => succeeding(),
    fail(match, status, message, times = 1) {
      failures.push({ method: match.method, path: match.path, status, body: errorBody(status, message), times });
    },
    addFile(file) {
      const object = fileObject(file.id, file.filename, Buffer.byteLength(file.content), file.purpose ?? 'fine-tune', file.status ?? 'processed');
      if (file.status === 'error') object['status_details'] = 'Invalid file format.';
      files.set(file.id, { object, content: Buffer.from(file.content), pollsLeft: 0, outcome: file.status === 'error' ? 'error' : 'processed' });
    },
    addJob(job) {
      const stored = newJob(job.id, job.model ?? 'gpt-4o-mini-2024-07-18', job.trainingFile, null, null, {}, job.stages);
      jobs.set(job.id, stored);
      enterStage(stored, 0);
    },
    requestsTo: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function errorBody(status: number, message: string, param: string | null = null, code: string | null = null): Json {
    const type = status === 401 ? 'invalid_authentication' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message, type, param, code } };
  }

  function fileObject(id: string, filename: string, bytes: number, purpose: string, status: string): Json {
    return { id, object: 'file', bytes, created_at: now(), filename, purpose, status };
  }

  function newJob(id: string, model: string, trainingFile: string, validationFile: string | null, suffix: string | null, hyperparameters: Json, stages: readonly JobStage[]): StoredJob {
    const resolved = { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto', ...hyperparameters };
    const object: Json = {
      object: 'fine_tuning.job',
      id,
      model,
      created_at: now(),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'org-fake',
      result_files: [],
      status: stages[0]?.status ?? 'validating_files',
      validation_file: validationFile,
      training_file: trainingFile,
      hyperparameters: resolved,
      trained_tokens: null,
      error: null,
      seed: 42,
      estimated_finish: null,
      integrations: null,
      method: { type: 'supervised', supervised: { hyperparameters: resolved } },
      metadata: null,
    };
    return { object, suffix, stages: [...stages], stage: 0, events: [] };
  }

  function addEvent(job: StoredJob, event: ScriptedEvent): void {
    job.events.push({
      object: 'fine_tuning.job.event',
      id: nextId('ftevent'),
      created_at: now(),
      level: event.level ?? 'info',
      message: event.message,
      type: event.type ?? 'message',
      data: event.data ?? {},
    });
  }

  function enterStage(job: StoredJob, index: number): void {
    const stage = job.stages[index];
    if (stage === undefined) return;
    job.stage = index;
    job.object['status'] = stage.status;
    for (const event of stage.events ?? []) addEvent(job, event);
    if (stage.status === 'succeeded') {
      const suffix = job.suffix ?? '';
      const results = nextId('file');
      const csv = 'step,train_loss\n1,0.50\n2,0.33\n3,0.25\n';
      files.set(results, { object: fileObject(results, 'step_metrics.csv', csv.length, 'fine-tune-results', 'processed'), content: Buffer.from(csv), pollsLeft: 0, outcome: 'processed' });
      Object.assign(job.object, {
        fine_tuned_model: `ft:${String(job.object['model'])}:fake-org:${suffix}:${String(job.object['id']).slice(-6)}`,
        finished_at: now(),
        trained_tokens: 12_345,
        result_files: [results],
      });
    }
    if (stage.status === 'failed') Object.assign(job.object, { finished_at: now(), error: stage.error ?? { code: 'server_error', message: 'The job failed.', param: null } });
    if (stage.status === 'cancelled') job.object['finished_at'] = now();
  }

  const finished = new Set(['succeeded', 'failed', 'cancelled']);

  /** Routes one request; answers `[status, body, schema name]` or a raw reply. */
  async function route(method: string, path: string, query: URLSearchParams, body: unknown, res: ServerResponse): Promise<[number, Json, string] | undefined> {
    const notFound = (what: string, id: string): [number, Json, string] => [404, errorBody(404, `No such ${what}: '${id}'`, 'id'), 'ErrorResponse'];
    let match: RegExpMatchArray | null;

    if (method === 'POST' && path === '/files') {
      const upload = body as UploadBody | undefined;
      const file = upload?.files.find((f) => f.field === 'file');
      const purpose = upload?.fields['purpose'];
      if (file === undefined || purpose === undefined) return [400, errorBody(400, "'file' and 'purpose' are required", 'file'), 'ErrorResponse'];
      const { content, filename } = file;
      const script = fake.fileScript({ filename, purpose, content });
      const polls = script.polls ?? 1;
      const outcome = script.outcome ?? 'processed';
      const id = nextId('file');
      const object = fileObject(id, filename, content.length, purpose, polls > 0 ? 'uploaded' : outcome);
      if (polls === 0 && outcome === 'error') object['status_details'] = script.details ?? 'Invalid file format.';
      files.set(id, { object, content, pollsLeft: polls, outcome, ...(script.details === undefined ? {} : { details: script.details }) });
      return [200, object, 'OpenAIFile'];
    }
    if (method === 'GET' && path === '/files') {
      const purpose = query.get('purpose');
      let list = [...files.values()].map((f) => f.object).filter((f) => purpose === null || f['purpose'] === purpose);
      if (query.get('order') !== 'asc') list = list.reverse();
      const after = query.get('after');
      if (after !== null) list = list.slice(list.findIndex((f) => f['id'] === after) + 1);
      const limit = Number(query.get('limit') ?? 10_000);
      const data = list.slice(0, limit);
      return [200, { object: 'list', data, first_id: String(data[0]?.['id'] ?? ''), last_id: String(data[data.length - 1]?.['id'] ?? ''), has_more: list.length > limit }, 'ListFilesResponse'];
    }
    if ((match = path.match(/^\/files\/([^/]+)\/content$/)) && method === 'GET') {
      const stored = files.get(match[1] as string);
      if (stored === undefined) return notFound('File', match[1] as string);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(stored.content.length) });
      if (stored.truncate === true) {
        res.write(stored.content.subarray(0, Math.floor(stored.content.length / 2)), () => res.destroy());
      } else res.end(stored.content);
      return undefined;
    }
    if ((match = path.match(/^\/files\/([^/]+)$/))) {
      const id = match[1] as string;
      const stored = files.get(id);
      if (stored === undefined) return notFound('File', id);
      if (method === 'DELETE') {
        files.delete(id);
        return [200, { id, object: 'file', deleted: true }, 'DeleteFileResponse'];
      }
      if (method === 'GET') {
        if (stored.object['status'] === 'uploaded' && --stored.pollsLeft <= 0) {
          stored.object['status'] = stored.outcome;
          if (stored.outcome === 'error') stored.object['status_details'] = stored.details ?? 'Invalid file format.';
        }
        return [200, stored.object, 'OpenAIFile'];
      }
    }

    const modelObject = (id: string): Json => ({ id, object: 'model', created: 1_721_172_741, owned_by: 'system' });
    if (method === 'GET' && path === '/models') {
      return [200, { object: 'list', data: [...fake.models, ...fake.otherModels].map(modelObject) }, 'ListModelsResponse'];
    }
    if ((match = path.match(/^\/models\/([^/]+)$/)) && method === 'GET') {
      const id = decodeURIComponent(match[1] as string);
      if (!fake.models.has(id) && !fake.otherModels.has(id)) {
        return [404, errorBody(404, `The model '${id}' does not exist or you do not have access to it.`, 'model', 'model_not_found'), 'ErrorResponse'];
      }
      return [200, modelObject(id), 'Model'];
    }

    if (method === 'POST' && path === '/fine_tuning/jobs') {
      const request = (body ?? null) as Json;
      const check = schema('CreateFineTuningJobRequest');
      if (!check(request)) {
        violations.push({ request, errors: check.errors });
        return [400, errorBody(400, `Invalid job request: ${check.errors?.[0]?.instancePath ?? ''} ${check.errors?.[0]?.message ?? ''}`), 'ErrorResponse'];
      }
      const model = request['model'] as string;
      if (!fake.models.has(model)) return [400, errorBody(400, `Model ${model} is not available for fine-tuning or does not exist.`, 'model', 'model_not_available'), 'ErrorResponse'];
      for (const param of ['training_file', 'validation_file']) {
        const id = request[param] as string | undefined | null;
        if (id === undefined || id === null) continue;
        const file = files.get(id);
        if (file === undefined) return [400, errorBody(400, `invalid ${param}: ${id}`, param, 'invalid_file'), 'ErrorResponse'];
        if (file.object['status'] !== 'processed') return [400, errorBody(400, `File ${id} is not ready: it is still ${String(file.object['status'])}.`, param, 'file_not_ready'), 'ErrorResponse'];
      }
      const requested = request['method'] as { supervised?: { hyperparameters?: Json } } | undefined;
      const job = newJob(
        nextId('ftjob'),
        model,
        request['training_file'] as string,
        (request['validation_file'] as string | undefined) ?? null,
        (request['suffix'] as string | undefined) ?? null,
        requested?.supervised?.hyperparameters ?? {},
        fake.jobScript(request),
      );
      jobs.set(job.object['id'] as string, job);
      addEvent(job, { message: `Created fine-tuning job: ${String(job.object['id'])}` });
      enterStage(job, 0);
      return [200, job.object, 'FineTuningJob'];
    }
    if (method === 'GET' && path === '/fine_tuning/jobs') {
      const all = [...jobs.values()].map((j) => j.object).reverse();
      const after = query.get('after');
      const list = after === null ? all : all.slice(all.findIndex((j) => j['id'] === after) + 1);
      const limit = Number(query.get('limit') ?? 20);
      return [200, { object: 'list', data: list.slice(0, limit), has_more: list.length > limit }, 'ListPaginatedFineTuningJobsResponse'];
    }
    if ((match = path.match(/^\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/))) {
      const id = match[1] as string;
      const job = jobs.get(id);
      if (job === undefined) return notFound('fine-tuning job', id);
      if (method === 'GET' && match[2] === undefined) {
        if (!finished.has(String(job.object['status']))) enterStage(job, job.stage + 1);
        return [200, job.object, 'FineTuningJob'];
      }
      if (method === 'GET' && match[2] === '/events') {
        const newestFirst = [...job.events].reverse();
        const after = query.get('after');
        const list = after === null ? newestFirst : newestFirst.slice(newestFirst.findIndex((e) => e['id'] === after) + 1);
        const limit = Number(query.get('limit') ?? 20);
        return [200, { object: 'list', data: list.slice(0, limit), has_more: list.length > limit }, 'ListFineTuningJobEventsResponse'];
      }
      if (method === 'POST' && match[2] === '/cancel') {
        if (finished.has(String(job.object['status']))) return [400, errorBody(400, `Job ${id} has already ${String(job.object['status'])}; it cannot be cancelled.`), 'ErrorResponse'];
        job.stages = [...job.stages.slice(0, job.stage + 1), { status: 'cancelled', events: [{ message: 'Fine-tuning job cancelled' }] }];
        enterStage(job, job.stage + 1);
        return [200, job.object, 'FineTuningJob'];
      }
    }
    return [404, errorBody(404, `Unknown route ${method} ${path}`), 'ErrorResponse'];
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const path = url.pathname.replace(/^\/v1/, '');
        const method = req.method ?? 'GET';
        const raw = Buffer.concat(chunks);
        const contentType = req.headers['content-type'] ?? '';
        const body = contentType.startsWith('application/json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : contentType.startsWith('multipart/') ? await multipart(raw, contentType) : undefined;
        requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
        const send = (status: number, json: Json, schemaName: string): void => {
          const check = schema(schemaName);
          if (!check(json)) violations.push({ response: json, schema: schemaName, errors: check.errors });
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        };
        if (fake.apiKey !== undefined && req.headers.authorization !== `Bearer ${fake.apiKey}`) {
          send(401, errorBody(401, 'Incorrect API key provided.', null, 'invalid_api_key'), 'ErrorResponse');
          return;
        }
        const failure = failures.find((f) => f.times > 0 && (f.method === undefined || f.method === method) && f.path.test(path));
        if (failure !== undefined) {
          failure.times--;
          send(failure.status, failure.body, 'ErrorResponse');
          return;
        }
        const answer = await route(method, path, url.searchParams, body, res);
        if (answer !== undefined) send(...answer);
      })().catch((error: unknown) => {
        violations.push({ crash: String(error) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody(500, `fake server crashed: ${String(error)}`)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (fake as { baseURL: string }).baseURL = `http://127.0.0.1:${port}/v1`;
  return fake;
}

async function multipart(raw: Buffer, contentType: string): Promise<UploadBody> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string> = {};
  const files: UploadBody['files'] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') fields[field] = value;
    else files.push({ field, filename: value.name, content: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

/**
 * For a test file whose every test gets a fresh server: starts one before each test (handed to
 * `use`), checks after each that nothing the official spec rejects was sent, and closes it.
 * Returns the CLI pointed at the current server, with a test key (and `env`).
 */
export function fakeFineTuningPerTest(use: (fake: FakeFineTuning) => void): (args: string[], env?: Record<string, string | undefined>) => Promise<CliResult> {
  let current: FakeFineTuning | undefined;
  beforeEach(async () => {
    current = await startFakeFineTuning();
    use(current);
  });
  afterEach(async () => {
    expect(current?.violations).toEqual([]);
    await current?.close();
  });
  return (args, env = {}) => runCli([...args, '--base-url', (current as FakeFineTuning).baseURL], { env: { OPENAI_API_KEY: 'test-key', ...env } });
}
