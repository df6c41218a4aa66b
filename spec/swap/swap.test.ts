import { getEventListeners } from 'node:events';
import { runInThisContext } from 'node:vm';
import OpenAI from 'openai';
import winston from 'winston';
import { Type } from '@sinclair/typebox';
import { ConfigurationError, distil, swap, SwapError, OutputValidationError, type ExampleFormat, type SwapComparison } from 'fn-distil';
import { apiError, completion, fakeOpenAIPerFile, multiplies, type FakeOpenAI, type Reply, type Scripted } from '../helpers/fake-openai';
import { readJsonLines, tempDir } from '../helpers/files';
import { refusedPort } from '../helpers/ports';
import { Multiply, multiplyImpl } from '../helpers/schemas';

let server: FakeOpenAI;
const tmp = tempDir();
const client = (options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 0, ...options });
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);

// Contract: every request sent is one OpenAI's official spec accepts (checked after each test).
fakeOpenAIPerFile((started) => (server = started));
afterAll(() => tmp.remove());

describe('swap() sends the prompt the model was trained on', () => {
  it.each(['messages', 'tools', 'json'] as const)('format %s: system and user messages are byte-identical to the training line', async (format: ExampleFormat) => {
    const filename = file();
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, description: 'Multiplies.', transports: [new winston.transports.File({ filename })] });
    multiply(133, 539);
    await multiply.close();
    const [line] = readJsonLines(filename) as Array<{ messages: unknown[] }>;
    const fast = swap(multiply, { model: 'ft:test', client: client(), server: 'openai' });
    await expect(fast(133, 539)).resolves.toEqual({ a: 133, b: 539, result: 71687 });
    const request = server.requests[0]!;
    expect(JSON.stringify(request.messages)).toBe(JSON.stringify(line!.messages.slice(0, 2)));
    expect(request.model).toBe('ft:test');
    if (format === 'messages') expect(request).toMatchObject({ function_call: { name: 'Multiply' }, functions: [{ name: 'Multiply' }] });
    if (format === 'tools') expect(request).toMatchObject({ tool_choice: { type: 'function', function: { name: 'Multiply' } }, tools: [{ type: 'function' }] });
    if (format === 'json') expect(request).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'Multiply' } } });
  });

  it('a plain function with a schema and the same prompt options gives the same prompt', async () => {
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', name: 'three_digit_multiply', format: 'tools' });
    await fast(2, 3);
    expect(server.requests[0]!.messages[1]).toEqual({ role: 'user', content: 'Return three_digit_multiply(2, 3)' });
  });

  // The byte counts are the ones docs/swap.md gives.
  it.each<[ExampleFormat, Record<string, unknown>, number]>([
    ['messages', { functions: [{ name: 'Multiply' }], function_call: { name: 'Multiply' } }, 238],
    ['tools', { tools: [{ type: 'function', function: { name: 'Multiply' } }], tool_choice: { type: 'function', function: { name: 'Multiply' } } }, 238],
    ['json', { response_format: { type: 'json_object' } }, 224],
  ])('omitSchema, format %s: the function is declared by name only, and the body is shorter by exactly the declaration left out', async (format, declared, bytes) => {
    const omitted = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format, omitSchema: true });
    await expect(omitted(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    const full = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format });
    await full(2, 3);
    const [short, long] = server.requests as Array<Record<string, unknown>> as [Record<string, unknown>, Record<string, unknown>];
    expect(short).toEqual({ model: 'ft:test', messages: long['messages'], max_completion_tokens: 1024, temperature: 0, ...declared });
    const key = ({ messages: 'functions', tools: 'tools', json: 'response_format' } as const)[format as 'messages' | 'tools' | 'json'];
    const declaration = (request: Record<string, unknown>): unknown => request[key];
    // Nothing else differs: with the full declaration put back, it is the full request.
    expect({ ...short, [key]: declaration(long) }).toEqual(long);
    const sent = server.headers.map((headers) => Number(headers['content-length']));
    const saved = sent[1]! - sent[0]!;
    expect(saved).toBe(Buffer.byteLength(JSON.stringify(declaration(long))) - Buffer.byteLength(JSON.stringify(declaration(short))));
    expect(saved).toBe(bytes);
    // For the function declarations: the description and parameters with their keys.
    if (format !== 'json') {
      const declared = (declaration(long) as Array<{ function?: object }>)[0]!;
      const { description, parameters } = (declared.function ?? declared) as { description: string; parameters: object };
      expect(saved).toBe(Buffer.byteLength(`,"description":${JSON.stringify(description)},"parameters":${JSON.stringify(parameters)}`));
    }
  });
});

describe('swap() options reach the request', () => {
  it('toolName, toolDescription and includeSource given to swap() override those of distil()', async () => {
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format: 'tools', transports: [new winston.transports.File({ filename: file() })] });
    const fast = swap(multiply, { model: 'ft:test', client: client(), server: 'openai', toolName: 'Product', toolDescription: 'Two integers and their product.', includeSource: true });
    await expect(fast(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await multiply.close();
    const request = server.requests[0]!;
    expect(request.messages[0]).toEqual({ role: 'system', content: `Predict the results of this function:\n\n${Function.prototype.toString.call(multiplyImpl)}` });
    expect(request.messages[1]).toEqual({ role: 'user', content: 'Return three_digit_multiply(2, 3)' });
    expect(request.tools).toEqual([{ type: 'function', function: { name: 'Product', description: 'Two integers and their product.', parameters: expect.objectContaining({ type: 'object' }) } }]);
    expect(request).toMatchObject({ tool_choice: { type: 'function', function: { name: 'Product' } } });
  });

  it('temperature is sent with every request, re-asks included, and is 0 when not given', async () => {
    server.script((r) => ({ body: completion(r, { arguments: '[]' }) }));
    await swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', temperature: 0.7 })(2, 3);
    await swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', temperature: 1 })(2, 3);
    await swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai' })(2, 3);
    expect(server.requests.map((request) => request.temperature)).toEqual([0.7, 0.7, 1, 0]);
  });

  it('maxTokens is sent as the field the server reads, 1024 when not given', async () => {
    await swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', maxTokens: 64 })(2, 3);
    await swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai' })(2, 3);
    expect(server.requests.map((request) => (request as Record<string, unknown>)['max_completion_tokens'])).toEqual([64, 1024]);
    expect(server.requests[0]).not.toHaveProperty('max_tokens');
    expect(() => swap(multiplyImpl, Multiply, { model: 'ft:test', maxTokens: 0 })).toThrow(/`maxTokens` must be a whole number, 1 or more, got 0/);
  });
});

describe('without `client`, a client made from the environment at the first call', () => {
  const saved = { OPENAI_API_KEY: process.env['OPENAI_API_KEY'], OPENAI_BASE_URL: process.env['OPENAI_BASE_URL'] };
  beforeEach(() => {
    delete process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_BASE_URL'];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY as they are at the first call, not when wrapping', async () => {
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test' });
    process.env['OPENAI_BASE_URL'] = server.baseURL;
    process.env['OPENAI_API_KEY'] = 'key-from-env';
    await expect(fast(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    expect(server.headers[0]!.authorization).toBe('Bearer key-from-env');
    // Made once: the client of the first call serves the next ones.
    process.env['OPENAI_API_KEY'] = 'another-key';
    await expect(fast(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    expect(server.headers[1]!.authorization).toBe('Bearer key-from-env');
  });

  it('with no OPENAI_API_KEY the call rejects with a ConfigurationError saying what to set, and wrapping does not throw', async () => {
    process.env['OPENAI_BASE_URL'] = server.baseURL;
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test' });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'CONFIGURATION', option: 'client' });
    expect(error.message).toMatch(/^No OpenAI client could be made from the environment \(.*OPENAI_API_KEY.*\)\. Set OPENAI_API_KEY \(and OPENAI_BASE_URL for another server\) or pass `client`\.$/);
    expect(server.requests).toHaveLength(0);
    expect(fast.stats()).toMatchObject({ calls: 1, errors: 1 });
    // The failure is not kept: once the key is set, the next call makes the client.
    process.env['OPENAI_API_KEY'] = 'key-set-later';
    await expect(fast(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    expect(server.headers[0]!.authorization).toBe('Bearer key-set-later');
  });

  it("in shadow mode a missing key is not swallowed: the caller gets the original's answer, stats() counts a model error and onCompare receives the ConfigurationError", async () => {
    const comparisons: SwapComparison[] = [];
    const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', mode: 'shadow', onCompare: (c) => comparisons.push(c) });
    await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await shadow.flush();
    expect(shadow.stats()).toMatchObject({ calls: 1, modelCalls: 1, modelErrors: 1, errors: 0 });
    expect(comparisons).toHaveLength(1);
    expect(comparisons[0]).toMatchObject({ args: [2, 3], original: { a: 2, b: 3, result: 6 }, exact: false });
    expect(comparisons[0]!.error).toBeInstanceOf(ConfigurationError);
  });

  it('in shadow mode without onCompare, the first setup failure is one process warning naming the function and what to read', async () => {
    const warnings: Error[] = [];
    const realProcess = runInThisContext('process') as NodeJS.Process;
    const onWarning = (warning: Error): number => warnings.push(warning);
    realProcess.on('warning', onWarning);
    try {
      const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', mode: 'shadow', name: 'three_digit_multiply' });
      await shadow(2, 3);
      await shadow(4, 5);
      await shadow.flush();
      await new Promise((resolve) => setImmediate(resolve));
      expect(shadow.stats()).toMatchObject({ calls: 2, modelErrors: 2, errors: 0 });
    } finally {
      realProcess.off('warning', onWarning);
    }
    const shadowWarnings = warnings.filter((w) => (w as Error & { code?: string }).code === 'FN_DISTIL_SHADOW');
    expect(shadowWarnings).toHaveLength(1);
    expect(shadowWarnings[0]!.message).toMatch(/^Shadow requests of three_digit_multiply to ft:test fail: No OpenAI client could be made .* stats\(\)\.modelErrors counts the failures, and `onCompare` receives each one\.$/);
  });
});

describe('only validated answers reach the caller', () => {
  const bad = (args: string) => (request: Parameters<typeof completion>[0]) => ({ body: completion(request, { arguments: args }) });

  const feedback = (errors: string): string => `Validation Error found:\n${errors}\nRecall the function correctly, fix the errors.`;
  // Every format re-asks in the one shape every server takes: the answer as assistant text, the
  // errors as a user message. An echoed tool call whose arguments are not JSON is a 400 on vLLM,
  // SGLang and Ollama (docs/servers.md).
  const reply = (answer: string): Record<string, unknown> => ({ role: 'assistant', content: answer });
  const followUp = (_reply: Record<string, unknown>, text: string): Record<string, unknown> => ({ role: 'user', content: text });
  it.each<ExampleFormat>(['messages', 'tools', 'json'])('format %s: re-asks with the model\'s answer as text and the validation errors, and returns the corrected answer', async (format) => {
    server.script(bad('{"a":2,"b":3,"result":"six"}'), bad('{not json'));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format });
    await expect(fast(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    expect(server.requests).toHaveLength(3);
    const [first, second, third] = server.requests.map((request) => request.messages);
    expect(second).toHaveLength(4);
    expect(second!.slice(0, 2)).toEqual(first);
    expect(second![2]).toEqual(reply('{"a":2,"b":3,"result":"six"}'));
    expect(second![3]).toEqual(followUp(second![2]!, feedback('/result must be integer')));
    expect(third).toHaveLength(6);
    expect(third!.slice(0, 4)).toEqual(second);
    expect(third![4]).toEqual(reply('{not json'));
    expect(third![5]).toEqual({ ...followUp(third![4]!, ''), content: expect.stringMatching(/^Validation Error found:\nthe answer is not JSON: .+\nRecall the function correctly, fix the errors\.$/) });
    expect(fast.stats()).toMatchObject({ calls: 1, retries: 2, invalidAnswers: 2, modelShare: 1 });
  });

  it.each<[string, (request: Parameters<typeof completion>[0]) => { body: unknown }, string, (error: SwapError) => void]>([
    ['a refusal', (r) => ({ body: completion(r, { refusal: 'I cannot help with that.' }) }), 'refusal', (e) => expect(e.attempts[1]!.message).toBe('the model refused: I cannot help with that.')],
    ['no call', (r) => ({ body: completion(r, { noCall: true }) }), 'no_call', (e) => expect(e.attempts[1]!.message).toBe('the reply has no call to Multiply')],
    ['wrong schema', bad('{"a":2}'), 'schema', (e) => expect(e.attempts.map((a) => a.issues)).toEqual(Array.from({ length: 2 }, () => [{ path: '', message: "must have required property 'b'" }, { path: '', message: "must have required property 'result'" }]))],
    [
      'malformed JSON',
      bad('{not json'),
      'json',
      (e) => {
        // Each attempt keeps its parser error, and the last one is the SwapError's cause.
        for (const attempt of e.attempts) expect(attempt.cause).toBeInstanceOf(SyntaxError);
        expect(e.cause).toBe(e.attempts[1]!.cause);
      },
    ],
  ])('after maxRetries of %s it throws a SwapError carrying every attempt', async (_label, reply, kind, check) => {
    server.script(reply, reply);
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format: 'messages', maxRetries: 1 });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts.map((attempt) => attempt.kind)).toEqual([kind, kind]);
    expect(error.code).toBe('SWAP');
    expect(error.message).toContain(`multiplyImpl got no valid answer from ft:test after 2 invalid answers; last: ${kind}: `);
    // Only malformed JSON has an underlying error; the others' cause is none.
    if (kind !== 'json') expect(error.cause).toBeUndefined();
    check(error);
    expect(fast.stats()).toMatchObject({ errors: 1, invalidAnswers: 2, invalidRate: 1, retries: 1 });
  });

  it('a cut-off answer is not re-asked (sent back, it would not fit either): one attempt, and the SwapError says to raise maxTokens', async () => {
    server.script((r) => ({ body: completion(r, { arguments: '{"a":2', finishReason: 'length' }) }));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format: 'tools', maxRetries: 2, maxTokens: 5 });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error.attempts).toEqual([{ kind: 'length', message: 'the answer was cut off by the token limit (finish_reason "length")' }]);
    expect(error.message).toMatch(/after 1 invalid answer; last: length: .*\. Raise `maxTokens` if the answer is longer than that/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ max_completion_tokens: 5 });
    expect(fast.stats()).toMatchObject({ retries: 0, invalidAnswers: 1 });
  });

  it.each<[string, () => void, RegExp]>([
    ['invalid answers', () => server.script(bad('[]'), bad('[]')), /last: schema: .*\. Raise `maxRetries` to re-ask more, or set `fallback: true`/],
    ['an HTTP failure', () => server.script(apiError(500, 'overloaded')), /last: http: 500 overloaded\. Check the server, raise the client's `maxRetries` or the `timeoutMs` option, or set `fallback: true`/],
  ])('after %s the SwapError says what would help', async (_label, script, message) => {
    script();
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', maxRetries: 1 });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('..');
  });

  it('arguments JSON cannot carry fail before any request, and the SwapError says so', async () => {
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', name: 'three_digit_multiply' });
    const error = (await fast(BigInt(2) as never, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['arguments']);
    expect(error.message).toMatch(/^three_digit_multiply got no valid answer from ft:test without asking it \(the call cannot be put in a prompt\); last: arguments: argument 1 \(a\) .*\. Pass arguments JSON can carry, or set `fallback: true`/);
    expect(server.requests).toHaveLength(0);
  });

  it('an argument whose serialization throws (a revoked Proxy) is an arguments failure too, not a raw exception', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', name: 'three_digit_multiply' });
    const error = (await fast(proxy as never, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['arguments']);
    expect(error.attempts[0]!.message).toMatch(/^argument 1 \(a\) could not be serialized: .*revoked/);
    expect(server.requests).toHaveLength(0);
  });

  it('falls back to the original function when asked to', async () => {
    server.script(bad('[]'), bad('[]'), bad('[]'));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', fallback: true });
    await expect(fast(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    expect(fast.stats()).toMatchObject({ fallbacks: 1, modelShare: 0 });
  });

  it('an invalid fallback output is an OutputValidationError, never returned', async () => {
    server.script(apiError(500, 'boom'));
    const fast = swap(() => ({ a: 1 }) as never, Multiply, { model: 'ft:test', client: client(), server: 'openai', fallback: true, name: 'broken' });
    await expect(fast()).rejects.toBeInstanceOf(OutputValidationError);
  });
});

describe('a 200 reply that is not a chat completion', () => {
  const json = (reply: unknown): Scripted => ({ raw: JSON.stringify(reply) });
  const withChoice = (edit: (body: Record<string, any>) => void) => (request: Parameters<typeof completion>[0]): Scripted => {
    const body = completion(request, { arguments: '{"a":2,"b":3,"result":6}' }) as Record<string, any>;
    edit(body);
    return json(body);
  };
  const proxyPage = `<html>\n<head><title>Sign in</title></head>\n<body>Your session has expired. Please sign in to continue. ${'Lorem ipsum dolor sit amet. '.repeat(20)}</body>\n</html>`;
  const cases: Array<[string, Scripted | Reply, string]> = [
    [
      "an HTML page from a proxy",
      { raw: proxyPage, headers: { 'content-type': 'text/html' } },
      // On one line, cut after 160 characters.
      'the reply is not a chat completion (it is text, not JSON): <html> <head><title>Sign in</title></head> <body>Your session has expired. Please sign in to continue. Lorem ipsum dolor sit amet. Lorem ipsum dolor sit amet. L…',
    ],
    ['JSON without choices', json({ detail: 'Not found' }), 'the reply is not a chat completion (it has no "choices" list): {"detail":"Not found"}'],
    ['JSON null', { raw: 'null' }, 'the reply is not a chat completion (it is not a JSON object): null'],
    ['an empty choices list', withChoice((body) => (body['choices'] = [])), 'the reply is not a chat completion ("choices" is empty): {"id":'],
    ['a choice without a message', withChoice((body) => delete body['choices'][0].message), 'the reply is not a chat completion (choices[0] has no "message" object): {"id":'],
    ['tool calls that are not a list', withChoice((body) => (body['choices'][0].message.tool_calls = { id: 'call_1' })), 'the reply is not a chat completion (choices[0].message.tool_calls is not a list of calls): {"id":'],
  ];

  it.each(cases)('%s is one failed attempt of kind malformed, not re-asked, and the SwapError says what to check', async (_label, reply, message) => {
    server.script(reply);
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format: 'tools', maxRetries: 2 });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts).toEqual([{ kind: 'malformed', message: expect.stringContaining(message) }]);
    // However long the reply, the excerpt of it is at most 160 characters and an ellipsis.
    const said = error.attempts[0]!.message;
    expect(said.slice(said.indexOf('): ') + 3).length).toBeLessThanOrEqual(161);
    expect(error.message).toContain(
      'multiplyImpl got no valid answer from ft:test after a reply that is not a chat completion; last: malformed: the reply is not a chat completion (',
    );
    expect(error.message).toMatch(/\. Check that the client's `baseURL` points at an OpenAI-compatible server \(a proxy or gateway in between may answer with a page of its own\), or set `fallback: true` to answer with the original function instead\.$/);
    // The server is broken, not the model: asking again would not help.
    expect(server.requests).toHaveLength(1);
    expect(fast.stats()).toMatchObject({ calls: 1, modelCalls: 1, modelErrors: 1, errors: 1, invalidAnswers: 0, retries: 0, tokens: { total: 0 } });
  });

  it('after an invalid answer, a re-ask that gets a proxy page ends the call, and the SwapError counts both', async () => {
    server.script((r) => ({ body: completion(r, { arguments: '{"a":2}' }) }), { raw: proxyPage, headers: { 'content-type': 'text/html' } });
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', maxRetries: 2 });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['schema', 'malformed']);
    expect(error.message).toContain('after 1 invalid answer and a reply that is not a chat completion; last: malformed: ');
    expect(server.requests).toHaveLength(2);
    expect(fast.stats()).toMatchObject({ invalidAnswers: 1, retries: 1, modelErrors: 1, tokens: { total: 120 } });
  });

  it.each(cases)('%s falls back to the original function with fallback: true', async (_label, reply) => {
    server.script(reply);
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', format: 'tools', fallback: true });
    await expect(fast(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    expect(fast.stats()).toMatchObject({ calls: 1, fallbacks: 1, modelErrors: 1, errors: 0, modelShare: 0 });
  });

  it('in shadow mode the caller gets the original\'s answer and onCompare a SwapError of kind malformed', async () => {
    server.script({ raw: proxyPage, headers: { 'content-type': 'text/html' } });
    const comparisons: SwapComparison[] = [];
    const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', onCompare: (c) => comparisons.push(c) });
    await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await shadow.flush();
    expect(comparisons).toHaveLength(1);
    expect(comparisons[0]).toMatchObject({ args: [2, 3], original: { a: 2, b: 3, result: 6 }, exact: false });
    expect(comparisons[0]!.error).toBeInstanceOf(SwapError);
    expect((comparisons[0]!.error as SwapError).attempts.map((attempt) => attempt.kind)).toEqual(['malformed']);
    expect(shadow.stats()).toMatchObject({ calls: 1, modelErrors: 1, errors: 0, agreement: { comparisons: 0 } });
  });
});

describe('HTTP', () => {
  it('429 and 500 follow the client\'s retry settings, then fail with the status', async () => {
    server.script(apiError(429, 'Rate limit reached'), apiError(500, 'overloaded'));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client({ maxRetries: 1 }), server: 'openai' });
    const error = (await fast(2, 3).catch((caught: unknown) => caught)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts).toEqual([expect.objectContaining({ kind: 'http', message: expect.stringContaining('500') })]);
    expect(server.requests).toHaveLength(2);
    // The cause is the client's own error for the last response, after its retry.
    expect(error.cause).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.cause).toMatchObject({ status: 500, message: '500 overloaded' });
    expect(error.attempts[0]!.cause).toBe(error.cause);
    // Two HTTP requests, one attempt: the message does not pretend to count the client's retries.
    expect(error.message).toContain('multiplyImpl got no valid answer from ft:test after a failed request (counted once, however many times it was retried); last: http: 500 overloaded. ');
  });

  it('a retried 429 then a good answer succeeds', async () => {
    server.script({ ...apiError(429, 'slow down'), headers: { 'retry-after-ms': '10' } });
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client({ maxRetries: 2 }), server: 'openai' });
    await expect(fast(3, 3)).resolves.toEqual({ a: 3, b: 3, result: 9 });
  });

  it('timeoutMs is honoured', async () => {
    // The reply is held until the call has failed: only the timeout can end it, however slow the machine.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.script((r) => ({ body: completion(r, { arguments: '{"a":1,"b":1,"result":1}' }), hold: held }));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', timeoutMs: 50 });
    const error = (await fast(1, 1).catch((caught: unknown) => caught).finally(release)) as SwapError;
    expect(error.attempts[0]!.kind).toBe('timeout');
  });

  it("a refused connection is kind http, not timeout, even when the client's retries outlast timeoutMs", async () => {
    const { port, release } = await refusedPort();
    const dead = new OpenAI({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 2 });
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: dead, timeoutMs: 100 });
    const started = performance.now();
    const error = (await fast(2, 3).catch((caught: unknown) => caught).finally(release)) as SwapError;
    // Two retries with the client's backoff (at least 0.375 s each) take longer than timeoutMs.
    expect(performance.now() - started).toBeGreaterThan(700);
    expect(error.attempts).toEqual([expect.objectContaining({ kind: 'http', message: 'Connection error.' })]);
    expect(error.cause).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error.cause).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(error.message).toContain('last: http: Connection error. Check the server');
  });

  it('one AbortSignal shared by 20 concurrent calls gets one listener, no MaxListenersExceededWarning, and none left behind', async () => {
    // Jest gives each test file a copy of `process` with events of its own; Node emits its
    // warnings on the real one, the main context's.
    const realProcess = runInThisContext('process') as NodeJS.Process;
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    realProcess.on('warning', onWarning);
    try {
      const controller = new AbortController();
      let held!: () => void;
      const hold = new Promise<void>((resolve) => (held = resolve));
      server.script(...Array.from({ length: 20 }, () => (r: Parameters<typeof multiplies>[0]) => ({ ...multiplies(r), hold })));
      const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', signal: controller.signal });
      const calls = Promise.all(Array.from({ length: 20 }, (_, i) => fast(i, 2)));
      try {
        while (server.requests.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
        expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      } finally {
        held();
      }
      await expect(calls).resolves.toHaveLength(20);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      // Node emits the warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      realProcess.off('warning', onWarning);
    }
  });

  it('aborting a signal shared by calls in flight aborts every one of them', async () => {
    const controller = new AbortController();
    // Held until the abort: every request is in flight when it comes.
    const hold = new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
    server.script(...Array.from({ length: 12 }, () => (r: Parameters<typeof multiplies>[0]) => ({ ...multiplies(r), hold })));
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', signal: controller.signal });
    const calls = Array.from({ length: 12 }, (_, i) => fast(i, 2).catch((caught: unknown) => caught));
    while (server.requests.length < 12) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const errors = (await Promise.all(calls)) as SwapError[];
    expect(errors.map((error) => error.attempts.map((attempt) => attempt.kind))).toEqual(Array.from({ length: 12 }, () => ['aborted']));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an AbortSignal aborts, and an aborted call never falls back', async () => {
    const controller = new AbortController();
    // Aborted once the request has reached the server, whose reply is held until the call has failed.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.script((r) => {
      controller.abort();
      return { body: completion(r, { arguments: '{"a":1,"b":1,"result":1}' }), hold: held };
    });
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', signal: controller.signal, fallback: true });
    const error = (await fast(1, 1).catch((caught: unknown) => caught).finally(release)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts[0]!.kind).toBe('aborted');
    expect(error.message).toContain('after an aborted request; last: aborted: the request was aborted. The call was aborted; an aborted call never falls back.');
  });
});

describe('modes', () => {
  it('shadow: the original answers, the model is compared field by field, and the dataset keeps growing', async () => {
    const filename = file();
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.File({ filename })] });
    // The two model requests run in the background, in either order: the wrong answer is for 2 x 3 whichever comes first.
    server.scriptFor('Return three_digit_multiply(2, 3)', (r) => ({ body: completion(r, { arguments: '{"a":2,"b":3,"result":7}' }) }));
    const comparisons: SwapComparison[] = [];
    const shadow = swap(multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', onCompare: (c) => comparisons.push(c), maxRetries: 0 });
    await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await expect(shadow(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    await shadow.flush();
    await multiply.close();
    expect(comparisons.map((c) => [c.exact, c.fields])).toEqual([
      [false, { a: true, b: true, result: false }],
      [true, { a: true, b: true, result: true }],
    ]);
    const stats = shadow.stats();
    // The caller got every answer from the original, though the model answered both validly.
    expect(stats).toMatchObject({ calls: 2, modelCalls: 2, modelErrors: 0, modelShare: 0 });
    expect(stats.agreement).toEqual({ comparisons: 2, exact: 0.5, fields: { a: 1, b: 1, result: 0.5 } });
    expect(stats.latencyMs.original.count).toBe(2);
    expect(stats.latencyMs.model.count).toBe(2);
    expect(stats.tokens.total).toBe(240);
    expect(readJsonLines(filename)).toHaveLength(2);
  });

  it("shadow: when the original throws, the caller gets its error, onCompare nothing, and flush() waits for the model request, which stats() counts", async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.script((r) => ({ ...multiplies(r), hold: held }), apiError(500, 'down'));
    const comparisons: SwapComparison[] = [];
    const failing = (a: number, b: number): { a: number; b: number; result: number } => {
      throw new RangeError(`no product for ${a} and ${b}`);
    };
    const shadow = swap(failing, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', onCompare: (c) => comparisons.push(c) });
    await expect(shadow(2, 3)).rejects.toThrow(new RangeError('no product for 2 and 3'));
    while (server.requests.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    let flushed = false;
    const flushing = shadow.flush().then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(shadow.stats()).toMatchObject({ calls: 1, errors: 1, modelCalls: 1, modelErrors: 0, tokens: { total: 120 }, agreement: { comparisons: 0 } });
    expect(shadow.stats().latencyMs.model.count).toBe(1);
    // A model request that fails is counted too.
    await expect(shadow(4, 5)).rejects.toThrow(RangeError);
    await shadow.flush();
    expect(shadow.stats()).toMatchObject({ calls: 2, errors: 2, modelCalls: 2, modelErrors: 1 });
    expect(comparisons).toEqual([]);
  });

  it.each<[string, (comparison: SwapComparison) => void]>([
    [
      'throws',
      () => {
        throw new Error('bug in my onCompare');
      },
    ],
    ['returns a rejected promise', async () => Promise.reject(new Error('bug in my onCompare'))],
  ])('shadow: an onCompare that %s never reaches the caller, and is one process warning naming the function', async (_label, onCompare) => {
    const warnings: Array<Error & { code?: string }> = [];
    const realProcess = runInThisContext('process') as NodeJS.Process;
    const onWarning = (warning: Error): number => warnings.push(warning);
    realProcess.on('warning', onWarning);
    try {
      const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', name: 'three_digit_multiply', onCompare });
      await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
      await expect(shadow(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
      await shadow.flush();
      await new Promise((resolve) => setImmediate(resolve));
      expect(shadow.stats()).toMatchObject({ calls: 2, errors: 0, agreement: { comparisons: 2, exact: 1 } });
    } finally {
      realProcess.off('warning', onWarning);
    }
    const reported = warnings.filter((warning) => warning.code === 'FN_DISTIL_ON_COMPARE');
    expect(reported).toHaveLength(1);
    expect(reported[0]!.name).toBe('FnDistilWarning');
    expect(reported[0]!.message).toBe(
      'onCompare of three_digit_multiply threw: bug in my onCompare. The callers were answered and stats() counts every comparison; fix onCompare (this warning is given once, for its first error).',
    );
  });

  it('shadow: flush() waits for an onCompare that returns a promise', async () => {
    let done = false;
    const shadow = swap(multiplyImpl, Multiply, {
      model: 'ft:test',
      client: client(), server: 'openai',
      mode: 'shadow',
      onCompare: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        done = true;
      },
    });
    await shadow(2, 3);
    await shadow.flush();
    expect(done).toBe(true);
  });

  it('shadow: a model that fails shows in stats().modelErrors while the caller is answered', async () => {
    // Each call's own reply: the two model requests run in the background, in either order.
    server.scriptFor('Return multiplyImpl(2, 3)', apiError(500, 'down'));
    server.scriptFor('Return multiplyImpl(4, 5)', (r) => ({ body: completion(r, { arguments: '{"a":1}' }) }));
    const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', maxRetries: 0 });
    await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await expect(shadow(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    await shadow.flush();
    expect(shadow.stats()).toMatchObject({ calls: 2, modelCalls: 2, modelErrors: 2, errors: 0, invalidAnswers: 1, agreement: { comparisons: 0 } });
  });

  it('canary: calls the original answers keep feeding the dataset of a distil() function, and the model\'s answers do not', async () => {
    const filename = file();
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.File({ filename })] });
    const canary = swap(multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'canary', ratio: 0.5 });
    for (let i = 0; i < 40; i++) await expect(canary(i, 3)).resolves.toEqual({ a: i, b: 3, result: 3 * i });
    await multiply.close();
    const { calls, modelCalls } = canary.stats();
    // Binomial(40, 0.5) is 0 or 40 with probability 2^-39.
    expect(modelCalls).toBeGreaterThan(0);
    expect(modelCalls).toBeLessThan(40);
    const lines = readJsonLines(filename) as Array<{ messages: Array<{ content?: string }> }>;
    expect(lines).toHaveLength(calls - modelCalls);
    // Each call is either in the dataset or sent to the model, never both.
    const recorded = lines.map((line) => line.messages[1]!.content);
    const asked = server.requests.map((request) => request.messages[1]!['content'] as string);
    expect(new Set([...recorded, ...asked]).size).toBe(40);
  });

  it('capture: false: calls the original answers write nothing to the dataset', async () => {
    const filename = file();
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.File({ filename })] });
    const shadow = swap(multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow', capture: false });
    const canary = swap(multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'canary', ratio: 0, capture: false });
    await expect(shadow(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    await expect(canary(4, 5)).resolves.toEqual({ a: 4, b: 5, result: 20 });
    await shadow.flush();
    multiply(6, 7); // the distil() function itself still records
    await multiply.close();
    expect((readJsonLines(filename) as Array<{ messages: Array<{ content?: string }> }>).map((line) => line.messages[1]!.content)).toEqual(['Return three_digit_multiply(6, 7)']);
    expect(server.requests).toHaveLength(1);
  });

  it('stats().latencyMs: p50 and p95 of the model and of the original, each over its own calls', async () => {
    // A clock of the test's own, which only the fake server moves, by the time each reply takes:
    // the latencies are exact, however busy the machine.
    let clock = 0;
    const now = jest.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const slowCalls = new Set([5, 15]);
      for (let i = 0; i < 20; i++) {
        server.scriptFor(`Return multiplyImpl(${i}, 2)`, (r) => {
          clock += slowCalls.has(i) ? 300 : 20;
          return multiplies(r);
        });
      }
      const shadow = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'shadow' });
      for (let i = 0; i < 20; i++) {
        await shadow(i, 2);
        await shadow.flush();
      }
      const { model, original } = shadow.stats().latencyMs;
      // Nearest rank of 20 samples: p50 is the 10th (a 20 ms reply), p95 the 19th (a 300 ms one).
      expect(model).toMatchObject({ count: 20, p50: 20, p95: 300 });
      // The original took no time on this clock: none of the model's time is counted as its own.
      expect(original).toMatchObject({ count: 20, p50: 0, p95: 0 });
    } finally {
      now.mockRestore();
    }
  });

  it('canary: about `ratio` of calls go to the model', async () => {
    const fast = swap(multiplyImpl, Multiply, { model: 'ft:test', client: client(), server: 'openai', mode: 'canary', ratio: 0.3 });
    await Promise.all(Array.from({ length: 400 }, (_, i) => fast(i, 2)));
    const { modelCalls, calls, modelShare } = fast.stats();
    expect(calls).toBe(400);
    expect(modelShare).toBe(modelCalls / calls);
    // Binomial(400, 0.3): 5 standard deviations is about +-46.
    expect(modelCalls).toBeGreaterThan(74);
    expect(modelCalls).toBeLessThan(166);
    expect(server.requests).toHaveLength(modelCalls);
  });
});

describe('configuration', () => {
  it('names the option at fault', () => {
    expect(() => swap(multiplyImpl, Multiply, { model: '' })).toThrow(/`model` is required/);
    expect(() => swap(multiplyImpl, Multiply, { model: 'm', mode: 'yolo' as never })).toThrow(/`mode`/);
    expect(() => swap(multiplyImpl, Multiply, { model: 'm', ratio: 2 })).toThrow(/`ratio`/);
    expect(() => swap(multiplyImpl, Multiply, { model: 'm', format: 'raw' })).toThrow(/`'raw'` has no chat prompt/);
    expect(() => swap(multiplyImpl as never, { model: 'm' } as never)).toThrow(/takes a function from distil\(\)/);
  });

  it.each([
    ['format', { format: 'jsonx' }, /^`format` must be one of 'messages', 'tools', 'json', 'raw', got "jsonx"\.$/],
    ['name', { name: 'two\nlines' }, /^`name` must be a non-empty single-line string/],
    ['description', { description: 42 }, /^`description` must be a string, got number\.$/],
    ['includeSource', { includeSource: 'yes' }, /^`includeSource` must be true or false, got string\.$/],
  ])('refuses a bad prompt option (%s) when wrapping, as distil() does, rather than send a request the model was not trained on', (option, bad, message) => {
    for (const wrap of [() => swap(multiplyImpl, Multiply, { model: 'm', ...(bad as object) }), () => distil(multiplyImpl, Multiply, { transports: [new winston.transports.Console()], ...(bad as object) })]) {
      const error = (() => {
        try {
          wrap();
        } catch (caught) {
          return caught;
        }
        return undefined;
      })() as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect({ option: error.option, message: error.message }).toEqual({ option, message: expect.stringMatching(message) });
    }
  });

  it('a distil() function given a schema is refused when wrapping, since it brings its own, and the message says what to pass', () => {
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.Console({ silent: true })] });
    const Strict = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer({ minimum: 0 }) }, { $id: 'Multiply', additionalProperties: false });
    for (const schema of [Strict, Multiply]) {
      const error = (() => {
        try {
          swap(multiply as never, schema, { model: 'ft:test', client: client(), server: 'openai' });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })() as ConfigurationError;
      expect(error).toBeInstanceOf(ConfigurationError);
      expect({ option: error.option, message: error.message }).toEqual({
        option: 'schema',
        message:
          'three_digit_multiply comes from distil(), which gives it its schema and prompt options: pass swap(fn, options) to serve it as it was distilled, or swap(fn.original, schema, options) to serve the plain function with another schema (and its prompt options again).',
      });
    }
  });

  it('the original of a distil() function with a stricter schema is validated against that schema, which the request declares', async () => {
    const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.Console({ silent: true })] });
    const Strict = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer({ minimum: 0 }) }, { $id: 'Multiply', additionalProperties: false });
    server.script((r) => ({ body: completion(r, { arguments: '{"a":2,"b":3,"result":-6,"junk":1}' }) }));
    const strict = swap(multiply.original, Strict, { model: 'ft:test', client: client(), server: 'openai', name: 'three_digit_multiply' });
    expect(strict.schema).toBe(Strict);
    await expect(strict(2, 3)).resolves.toEqual({ a: 2, b: 3, result: 6 });
    expect(server.requests[0]!.response_format).toEqual({ type: 'json_schema', json_schema: expect.objectContaining({ schema: expect.objectContaining({ additionalProperties: false, properties: expect.objectContaining({ result: { type: 'integer', minimum: 0 } }) }) }) });
    // Re-asked with the stricter schema's errors.
    expect(server.requests[1]!.messages.at(-1)!['content']).toBe('Validation Error found:\n(root) must NOT have additional properties; /result must be >= 0\nRecall the function correctly, fix the errors.');
    await multiply.close();
  });

  it('a Type.Object from another schema validates the model the same way', async () => {
    const Person = Type.Object({ name: Type.String({ minLength: 1 }) }, { $id: 'Person' });
    server.script((r) => ({ body: completion(r, { arguments: '{"name":""}' }) }), (r) => ({ body: completion(r, { arguments: '{"name":"Ada"}' }) }));
    const fast = swap((name: string) => ({ name }), Person, { model: 'ft:test', client: client(), server: 'openai', name: 'person', format: 'json' });
    await expect(fast('Ada')).resolves.toEqual({ name: 'Ada' });
  });
});
