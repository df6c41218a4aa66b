import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Contract fakes of the OpenAI-compatible servers that cannot run here (no GPU, no Docker):
 * each answers `/v1/chat/completions` as its own source says it does, refusals included. The
 * "model" behind them is a function of the user message (`answer`): what a well fine-tuned
 * model would say. Each rule cites the file it follows (the research is in docs/servers.md).
 */
export type FakeServerName = 'vllm' | 'sglang' | 'ollama' | 'lmstudio' | 'tgi' | 'transformers';

type Body = Record<string, any>;
interface Reply {
  readonly status: number;
  readonly body: unknown;
  /** Sent as text, not JSON (TGI's axum rejections are text/plain). */
  readonly text?: boolean;
}

export interface FakeServer {
  readonly name: FakeServerName;
  readonly baseURL: string;
  /** Every request body, in order. */
  readonly requests: Body[];
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** The model's answer (the function's output) for a user message. @default the demo's product */
  readonly answer?: (user: string) => unknown;
  /** The answer's text as the model writes it, when it is not the JSON of `answer` (e.g. cut short). */
  readonly answerText?: (user: string) => string | undefined;
  /** vLLM started with `--enable-auto-tool-choice --tool-call-parser ...`; SGLang with `--tool-call-parser`. */
  readonly toolParser?: boolean;
}

/** The demo function's right answer: `Return three_digit_multiply(133, 539)` → {a, b, result}. */
export function multiplyAnswer(user: string): unknown {
  const [a, b] = JSON.parse(`[${user.slice(user.indexOf('(') + 1, user.lastIndexOf(')'))}]`) as [number, number];
  return { a, b, result: a * b };
}

let ids = 0;

function completion(body: Body, message: Record<string, unknown>, finish = 'stop'): Body {
  return {
    id: `chatcmpl-${++ids}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body['model'],
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
  };
}

/** The first user message: the call, as `distil()` wrote it. */
function userOf(body: Body): string {
  return String((body['messages'] as Body[]).find((message) => message['role'] === 'user')?.['content'] ?? '');
}

function toolName(body: Body): string {
  return String((body['tools'] as Body[] | undefined)?.[0]?.['function']?.['name'] ?? 'unknown');
}

/** Assistant messages that echo a tool call whose arguments are not JSON. */
function badEchoedArguments(body: Body): boolean {
  return (body['messages'] as Body[]).some(
    (message) =>
      message['role'] === 'assistant' &&
      Array.isArray(message['tool_calls']) &&
      (message['tool_calls'] as Body[]).some((call) => {
        try {
          JSON.parse(String(call['function']?.['arguments']));
          return false;
        } catch {
          return true;
        }
      }),
  );
}

const openaiError = (status: number, message: string, type = 'BadRequestError'): Reply => ({ status, body: { error: { message, type, param: null, code: status } } });

/** How each server answers, from its source. */
const servers: Record<FakeServerName, (body: Body, answer: string, options: FakeServerOptions) => Reply> = {
  // vllm/entrypoints/openai/protocol.py and serving_chat.py.
  vllm: (body, answer, options) => {
    const format = body['response_format'] as Body | undefined;
    if (format !== undefined && !['text', 'json_object', 'json_schema'].includes(format['type'])) return openaiError(400, `Input should be 'text', 'json_object' or 'json_schema'`);
    if (format?.['type'] === 'json_schema' && format['json_schema'] === undefined) {
      return openaiError(400, "When response_format type is 'json_schema', the 'json_schema' field must be provided.");
    }
    // chat_utils.py `_postprocess_messages`: json.loads(arguments), a ValueError answered as 400.
    if (badEchoedArguments(body)) return openaiError(400, 'Expecting value: line 1 column 1 (char 0)');
    if (body['tools'] !== undefined) {
      // A `tools` request without tool_choice is "auto" (protocol.py validator).
      const choice = body['tool_choice'] ?? 'auto';
      if (choice === 'auto' && options.toolParser !== true) {
        return openaiError(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set');
      }
      if (choice === 'none') return { status: 200, body: completion(body, { content: answer }) };
      // Named: guided by the tool's parameters, put in tool_calls, finish_reason stays "stop".
      const name = typeof choice === 'object' ? choice.function.name : toolName(body);
      return { status: 200, body: completion(body, { content: '', tool_calls: [{ id: `chatcmpl-tool-${++ids}`, type: 'function', function: { name, arguments: answer } }] }) };
    }
    // `functions` is ignored ("fields were present in the request but ignored"): plain text.
    return { status: 200, body: completion(body, { content: body['functions'] !== undefined ? `The answer is ${answer}` : answer }) };
  },
  // python/sglang/srt/entrypoints/openai/serving_chat.py, function_call/utils.py; flat error body.
  sglang: (body, answer, options) => {
    const flat = (message: string): Reply => ({ status: 400, body: { object: 'error', message, type: 'BadRequestError', param: null, code: 400 } });
    const format = body['response_format'] as Body | undefined;
    if (format?.['type'] === 'json_schema' && format['json_schema'] === undefined) return flat('schema_ is required for json_schema response format request.');
    if (badEchoedArguments(body)) return flat('Assistant tool call function.arguments must be valid JSON.');
    if (body['tools'] !== undefined) {
      const choice = body['tool_choice'] ?? 'auto';
      const name = typeof choice === 'object' ? choice.function.name : toolName(body);
      if (typeof choice === 'object' && name !== toolName(body)) return flat(`Tool '${name}' not found in tools list.`);
      // Named/required: constrained to [{"name", "parameters"}]; parsed only with --tool-call-parser.
      const call = `[{"name": "${name}", "parameters": ${answer}}]`;
      if (choice === 'auto') return { status: 200, body: completion(body, { content: `<tool_call>\n{"name": "${name}", "arguments": ${answer}}\n</tool_call>`, tool_calls: null }) };
      if (options.toolParser === true) {
        return { status: 200, body: completion(body, { content: null, tool_calls: [{ id: `call_${++ids}`, type: 'function', function: { name, arguments: answer } }] }, 'tool_calls') };
      }
      return { status: 200, body: completion(body, { content: call, tool_calls: null }) };
    }
    return { status: 200, body: completion(body, { content: body['functions'] !== undefined ? `The answer is ${answer}` : answer }) };
  },
  // ollama v0.32.15 openai/openai.go: no tool_choice field, the model's parser makes tool_calls.
  ollama: (body, answer) => {
    if (badEchoedArguments(body)) return { status: 400, body: { error: { message: 'invalid tool call arguments', type: 'invalid_request_error', param: null, code: null } } };
    if (body['tools'] !== undefined) {
      return { status: 200, body: completion(body, { content: '', tool_calls: [{ id: `call_${++ids}`, index: 0, type: 'function', function: { name: toolName(body), arguments: answer } }] }, 'tool_calls') };
    }
    return { status: 200, body: completion(body, { content: body['functions'] !== undefined ? `The answer is ${answer}` : answer }) };
  },
  // LM Studio docs and lmstudio-bug-tracker#189, #670: string errors, no json_object, no object tool_choice.
  lmstudio: (body, answer) => {
    const format = body['response_format'] as Body | undefined;
    if (format !== undefined && !['json_schema', 'text'].includes(format['type'])) return { status: 400, body: { error: "'response_format.type' must be 'json_schema' or 'text'" } };
    const choice = body['tool_choice'];
    if (choice !== undefined && typeof choice !== 'string') return { status: 400, body: { error: `Invalid tool_choice type: 'object'. Supported string values: none, auto, required` } };
    if (body['tools'] !== undefined) {
      return { status: 200, body: completion(body, { content: null, tool_calls: [{ id: `${++ids}`, type: 'function', function: { name: toolName(body), arguments: answer } }] }, 'tool_calls') };
    }
    return { status: 200, body: completion(body, { content: body['functions'] !== undefined ? `The answer is ${answer}` : answer }) };
  },
  // text-generation-inference v3.3.7 router/src/lib.rs (GrammarType, ToolChoice), server.rs (422s).
  tgi: (body, answer) => {
    const format = body['response_format'] as Body | undefined;
    if (format !== undefined) {
      const ok = (format['type'] === 'json_schema' && typeof format['value']?.['schema'] === 'object') || (['json', 'json_object'].includes(format['type']) && format['value'] !== undefined);
      if (!ok) return { status: 422, text: true, body: 'Failed to deserialize the JSON body into the target type: response_format: missing field `value`' };
      if (body['tools'] !== undefined) return { status: 422, body: { error: 'Tool error: Grammar and tools are mutually exclusive', error_type: 'tool_error' } };
    }
    if (body['tools'] !== undefined && body['tool_choice'] !== 'none') {
      const choice = body['tool_choice'];
      const name = typeof choice === 'object' ? choice.function.name : toolName(body);
      return { status: 200, body: completion(body, { content: null, tool_calls: [{ id: '0', type: 'function', function: { name, arguments: answer, description: null } }] }) };
    }
    return { status: 200, body: completion(body, { content: body['functions'] !== undefined ? `The answer is ${answer}` : answer }) };
  },
  // transformers src/transformers/cli/serving/chat_completion.py: UNUSED_CHAT_COMPLETION_FIELDS are a 422.
  transformers: (body, answer) => {
    const unused = ['response_format', 'tool_choice', 'functions', 'function_call', 'max_completion_tokens', 'parallel_tool_calls'].filter((key) => key in body);
    if (unused.length > 0) return { status: 422, body: { detail: `Unsupported fields in the request: {${unused.map((key) => `'${key}'`).join(', ')}}` } };
    // Nothing parses the call: the model's text, as a Qwen/Hermes template has it say a call.
    if (body['tools'] !== undefined) return { status: 200, body: completion(body, { content: `<tool_call>\n{"name": "${toolName(body)}", "arguments": ${answer}}\n</tool_call>` }) };
    return { status: 200, body: completion(body, { content: answer }) };
  },
};

/** Starts the contract fake of `name` on 127.0.0.1. */
export async function startFakeServer(name: FakeServerName, options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: Body[] = [];
  const answerOf = options.answer ?? multiplyAnswer;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
      requests.push(body);
      const user = userOf(body);
      const reply = servers[name](body, options.answerText?.(user) ?? JSON.stringify(answerOf(user)), options);
      res
        .writeHead(reply.status, { 'content-type': reply.text === true ? 'text/plain; charset=utf-8' : 'application/json' })
        .end(reply.text === true ? String(reply.body) : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
