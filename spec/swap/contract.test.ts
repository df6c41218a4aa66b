import { openApiValidator } from '../helpers/openapi';
import { completion } from '../helpers/fake-openai';

const request = openApiValidator('openapi.json', 'CreateChatCompletionRequest');
const response = openApiValidator('openapi.json', 'CreateChatCompletionResponse');

describe('the official chat schemas the fake server checks against', () => {
  it('accept a good tools request and reject a robot', () => {
    expect(request({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }], tool_choice: { type: 'function', function: { name: 'f' } } })).toBe(true);
    expect(request({ messages: [{ role: 'robot' }] })).toBe(false);
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
