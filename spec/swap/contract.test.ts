import { openApiValidator } from '../helpers/openapi';
import { apiError, completion } from '../helpers/fake-openai';

const request = openApiValidator('openapi.json', 'CreateChatCompletionRequest');
const response = openApiValidator('openapi.json', 'CreateChatCompletionResponse');
const errorResponse = openApiValidator('openapi.json', 'ErrorResponse');

describe('the official chat schemas the fake server checks against', () => {
  const good = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }], tool_choice: { type: 'function', function: { name: 'f' } } };

  it('accept a good tools request and reject the same request from a robot', () => {
    expect(request(good)).toBe(true);
    expect(request({ ...good, messages: [{ role: 'robot', content: 'hi' }] })).toBe(false);
    // The issue's own example, which also lacks `model`.
    expect(request({ messages: [{ role: 'robot' }] })).toBe(false);
  });

  it.each([429, 500])('accept the fake server\'s %i error body, so its errors cannot drift from the API', (status) => {
    const { body } = apiError(status, 'scripted');
    expect(errorResponse(body)).toBe(true);
    const { param: _param, ...withoutParam } = (body as { error: Record<string, unknown> }).error;
    expect(errorResponse({ error: withoutParam })).toBe(false);
  });

  it.each([
    ['a tool call', { tools: [{}] }, {}],
    ['a function call', { functions: [{}] }, {}],
    ['JSON content', {}, {}],
    ['a refusal', { tools: [{}] }, { refusal: 'no' }],
    ['a cut-off answer', { tools: [{}] }, { finishReason: 'length' as const }],
  ])('accept the scripted reply with %s, so the fake cannot drift from the API', (_label, shape, answer) => {
    const body = completion({ model: 'm', messages: [], ...shape } as never, { arguments: '{}', ...answer });
    expect(response(body)).toBe(true);
    expect(response({ ...body, choices: [{ index: 0, message: { role: 'robot' } }] })).toBe(false);
  });
});
