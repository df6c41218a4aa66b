import fc from 'fast-check';
import { callInContent } from '../../lib/servers/content-call';

// Calls servers leave in `content` (docs/servers.md): read wherever they sit, or not at all.
describe('a call left in content', () => {
  it.each<[string, string, string | undefined]>([
    ['a Hermes/Qwen block', '<tool_call>\n{"name": "Multiply", "arguments": {"a": 1}}\n</tool_call>', '{"a":1}'],
    ["SGLang's constrained list, parameters", '[{"name": "Multiply", "parameters": {"a": 1}}]', '{"a":1}'],
    ['arguments as a JSON string', '{"name": "Multiply", "arguments": "{\\"a\\": 1}"}', '{"a": 1}'],
    ['the second block names the tool', '<tool_call>{"name": "search", "arguments": {"q": "x"}}</tool_call>\n<tool_call>{"name": "Multiply", "arguments": {"a": 2}}</tool_call>', '{"a":2}'],
    ['a block cut short, then a whole one', '<tool_call>{"name": "Multiply", "argu</tool_call><tool_call>{"name": "Multiply", "arguments": {"a": 3}}</tool_call>', '{"a":3}'],
    ['an unclosed block at the end', 'Sure.\n<tool_call>{"name": "Multiply", "arguments": {"a": 4}}', '{"a":4}'],
    ['bare JSON: the arguments themselves', '{"a": 1, "b": 2, "result": 2}', '{"a": 1, "b": 2, "result": 2}'],
    ['an output with name and parameters fields is bare JSON, not a call to another tool', '{"name": "Alice", "parameters": {"age": 3}}', '{"name": "Alice", "parameters": {"age": 3}}'],
    ['prose', 'The answer is 42.', undefined],
    ['a list calling other tools only', '[{"name": "search", "arguments": {}}]', undefined],
    ['JSON that is not an object', '42', undefined],
    ['broken JSON', '{"a": ', undefined],
  ])('%s', (_label, content, expected) => {
    expect(callInContent(content, 'Multiply')).toBe(expected);
  });

  it('never throws, whatever the text, and what it reads is JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((json) => `<tool_call>${json}</tool_call>`), fc.json()), (content) => {
        const read = callInContent(content, 'Multiply');
        if (read !== undefined) expect(() => JSON.parse(read)).not.toThrow();
      }),
    );
  });
});
