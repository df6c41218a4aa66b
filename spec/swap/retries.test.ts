import OpenAI, { AzureOpenAI } from 'openai';
import { swap, SwapError } from 'fn-distil';
import { withServerErrors } from '../../lib/swap/error-bodies';
import { apiError, completion, fakeOpenAIPerFile, type FakeOpenAI, type Scripted } from '../helpers/fake-openai';
import { Multiply, multiplyImpl } from '../helpers/schemas';

// What is retried and what is not: outages are, configuration is not (lib/swap/send.ts).
let server: FakeOpenAI;
fakeOpenAIPerFile((started) => (server = started));

// retry-after-ms 0: the retries happen at once, so no test waits for the backoff.
const now = (reply: Scripted): Scripted => ({ ...reply, headers: { 'retry-after-ms': '0', ...reply.headers } });
const fast = () => swap(multiplyImpl, Multiply, { model: 'm', server: 'openai', client: new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 2 }) });
const kinds = async (promise: Promise<unknown>): Promise<string[]> => ((await promise.catch((e: unknown) => e)) as SwapError).attempts.map((a) => a.kind);

describe('retries', () => {
  it.each([429, 502, 503, 504])('the same %i twice is an outage: retried with the budget, and an answer after it is kept', async (status) => {
    server.script(now(apiError(status, 'busy')), now(apiError(status, 'busy')));
    await expect(fast()(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    expect(server.requests).toHaveLength(3);
  });

  it('the same 500 twice is configuration: rejected, and later calls skip the retries until the server answers again', async () => {
    const swapped = fast();
    server.script(now(apiError(500, 'tools param requires --jinja flag')), now(apiError(500, 'tools param requires --jinja flag')));
    expect(await kinds(swapped(1, 1))).toEqual(['rejected']);
    expect(server.requests).toHaveLength(2);
    server.script(now(apiError(500, 'tools param requires --jinja flag')));
    expect(await kinds(swapped(1, 2))).toEqual(['rejected']);
    expect(server.requests).toHaveLength(3);
    await expect(swapped(1, 3)).resolves.toEqual({ a: 1, b: 3, result: 3 });
    // Answered again: the same 500 gets its retry again.
    server.script(now(apiError(500, 'tools param requires --jinja flag')));
    await expect(swapped(1, 4)).resolves.toEqual({ a: 1, b: 4, result: 4 });
    expect(server.requests).toHaveLength(6);
  });

  it('a 500 the server says to retry (x-should-retry: true) is retried, and one it says not to is not', async () => {
    server.script(now({ ...apiError(500, 'same'), headers: { 'x-should-retry': 'true' } }), now({ ...apiError(500, 'same'), headers: { 'x-should-retry': 'true' } }));
    await expect(fast()(2, 2)).resolves.toEqual({ a: 2, b: 2, result: 4 });
    expect(server.requests).toHaveLength(3);
    server.script(now({ ...apiError(503, 'down'), headers: { 'x-should-retry': 'false' } }));
    expect(await kinds(fast()(2, 2))).toEqual(['rejected']);
    expect(server.requests).toHaveLength(4);
  });

  it('a 400 is refused at once, and the SwapError says what to check by what the server said', async () => {
    server.script(apiError(400, 'request (1109 tokens) exceeds the available context size (512 tokens), try increasing it'));
    const error = (await fast()(1, 1).catch((e: unknown) => e)) as SwapError;
    expect(error.attempts.map((a) => a.kind)).toEqual(['rejected']);
    expect(error.message).toMatch(/do not fit the model's context, so it was not retried: give the server a larger context \(per slot, for llama\.cpp\) or lower `maxTokens`/);
    server.script(apiError(404, 'The model `m` does not exist'));
    expect(((await fast()(1, 1).catch((e: unknown) => e)) as SwapError).message).toMatch(/does not know the model or the path.*check `model`/);
    expect(server.requests).toHaveLength(2);
  });

  it('an abort while waiting to retry ends the call at once as aborted', async () => {
    const controller = new AbortController();
    const swapped = swap(multiplyImpl, Multiply, { model: 'm', server: 'openai', signal: controller.signal, client: new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 2 }) });
    // A 60 s wait the abort must cut short; Jest's timeout fails the test if it does not. The abort
    // comes once the 503 has been sent in full, when the call is waiting to retry.
    server.script({ ...apiError(503, 'busy'), headers: { 'retry-after-ms': '60000' } });
    const call = kinds(swapped(1, 1));
    while (server.requests.length < 1 || server.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await call).toEqual(['aborted']);
    expect(server.requests).toHaveLength(1);
  });
});

describe('clients used as they are', () => {
  it('an AzureOpenAI client keeps its deployment: it is not rebuilt', () => {
    const azure = new AzureOpenAI({ apiKey: 'k', endpoint: 'https://example.openai.azure.com', apiVersion: '2024-10-21', deployment: 'my-multiply' });
    expect(withServerErrors(azure)).toBe(azure);
    expect(() => swap(multiplyImpl, Multiply, { model: 'my-multiply', client: azure })).not.toThrow();
  });

  it("a client whose create was replaced (a test stub) keeps it: no request goes out", async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: server.baseURL });
    const stub = jest.fn(async (body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming) => completion(body as never, { arguments: '{"a":7,"b":7,"result":49}' }));
    client.chat.completions.create = stub as never;
    await expect(swap(multiplyImpl, Multiply, { model: 'm', server: 'openai', client })(7, 7)).resolves.toEqual({ a: 7, b: 7, result: 49 });
    expect(stub).toHaveBeenCalledTimes(1);
    expect(server.requests).toHaveLength(0);
  });

  it('a 200 whose JSON body is broken is malformed, sent once, and the SwapError says to check baseURL', async () => {
    server.script({ raw: '{"id":"chatcmpl-1","choices":[{"message":', headers: { 'content-type': 'application/json' } });
    const error = (await fast()(1, 1).catch((e: unknown) => e)) as SwapError;
    expect(error.attempts).toEqual([expect.objectContaining({ kind: 'malformed', message: expect.stringMatching(/^the reply is not a chat completion \(its body is not valid JSON: /) })]);
    expect(error.message).toMatch(/Check that the client's `baseURL` points at an OpenAI-compatible server/);
    expect(server.requests).toHaveLength(1);
  });

  it("a server's own error body reaches the message: SGLang's flat shape and FastAPI's detail", async () => {
    server.script({ status: 400, raw: JSON.stringify({ object: 'error', message: "Tool 'x' not found in tools list.", type: 'BadRequestError', param: null, code: 400 }) });
    expect(((await fast()(1, 1).catch((e: unknown) => e)) as SwapError).attempts[0]!.message).toBe("400 Tool 'x' not found in tools list.");
    server.script({ status: 422, raw: JSON.stringify({ detail: "Unsupported fields in the request: {'response_format'}" }) });
    expect(((await fast()(1, 1).catch((e: unknown) => e)) as SwapError).attempts[0]!.message).toBe("422 Unsupported fields in the request: {'response_format'}");
  });
});
