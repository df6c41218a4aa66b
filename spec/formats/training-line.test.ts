import OpenAI from 'openai';
import winston from 'winston';
import { ConfigurationError, distil, swap, type ExampleFormat } from 'fn-distil';
import { openApiValidator } from '../helpers/openapi';
import { readJsonLines, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';
import { Type } from '@sinclair/typebox';

const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const tmp = tempDir();
afterAll(() => tmp.remove());

async function capture(format: ExampleFormat, description?: string): Promise<Record<string, any>> {
  const filename = tmp.path(`${format}-${Math.random()}.jsonl`);
  const multiply = distil(multiplyImpl, Multiply, {
    name: 'three_digit_multiply',
    format,
    ...(description === undefined ? {} : { description }),
    transports: [new winston.transports.File({ filename })],
  });
  multiply(133, 539);
  await multiply.close();
  const lines = readJsonLines(filename);
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, any>;
}

const parameters = {
  description: 'The product of two integers',
  type: 'object',
  required: ['a', 'b', 'result'],
  properties: { a: { type: 'integer' }, b: { type: 'integer' }, result: { type: 'integer' } },
};

describe('OpenAI\'s schema for one training line (FineTuneChatRequestInput)', () => {
  it('accepts a good line and rejects a bad role and an empty conversation', () => {
    expect(trainingLine({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }] })).toBe(true);
    expect(trainingLine({ messages: [{ role: 'robot', content: 'hi' }] })).toBe(false);
    expect(trainingLine({ messages: [] })).toBe(false);
  });

  it.each(['messages', 'tools', 'json'] as const)('accepts every %s line distil() writes', async (format) => {
    const line = await capture(format, 'Multiplies two three-digit numbers.');
    expect(trainingLine(line)).toBe(true);
    expect(trainingLine.errors ?? null).toBeNull();
  });
});

describe('format "messages"', () => {
  it('writes system, user and a forced function_call, with the function declared', async () => {
    expect(await capture('messages')).toEqual({
      messages: [
        { role: 'system', content: 'Predict the results of this function:\n\nthree_digit_multiply(a, b)' },
        { role: 'user', content: 'Return three_digit_multiply(133, 539)' },
        { role: 'assistant', function_call: { name: 'Multiply', arguments: '{"a":133,"b":539,"result":71687}' } },
      ],
      functions: [{ name: 'Multiply', description: 'The product of two integers', parameters }],
    });
  });

  it('puts the description after the signature', async () => {
    const line = await capture('messages', 'Multiplies two three-digit numbers.');
    expect(line.messages[0].content).toBe(
      'Predict the results of this function:\n\nthree_digit_multiply(a, b)\n\nMultiplies two three-digit numbers.',
    );
  });
});

describe('format "tools"', () => {
  it('writes the answer as a tool call and declares the tool', async () => {
    const line = await capture('tools');
    expect(line.messages[2]).toEqual({
      role: 'assistant',
      tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'Multiply', arguments: '{"a":133,"b":539,"result":71687}' } }],
    });
    expect(line.tools).toEqual([{ type: 'function', function: { name: 'Multiply', description: 'The product of two integers', parameters } }]);
    expect(line.functions).toBeUndefined();
  });
});

describe('format "json"', () => {
  it('answers with JSON content and carries the schema in the system prompt, without function calling', async () => {
    const line = await capture('json');
    expect(Object.keys(line)).toEqual(['messages']);
    expect(line.messages[2]).toEqual({ role: 'assistant', content: '{"a":133,"b":539,"result":71687}' });
    expect(line.messages[0].content).toContain(JSON.stringify(parameters));
    expect(JSON.parse(line.messages[2].content)).toEqual({ a: 133, b: 539, result: 71687 });
  });
});

describe('format "raw"', () => {
  it('writes fn_name, fn_repr, args, resp and schema', async () => {
    expect(await capture('raw')).toEqual({
      fn_name: 'three_digit_multiply',
      fn_repr: 'three_digit_multiply(a, b)',
      args: [133, 539],
      resp: { a: 133, b: 539, result: 71687 },
      schema: parameters,
    });
  });
});

describe('parameters', () => {
  it('are plain JSON Schema: no TypeBox symbols and no $id, nested schemas intact', async () => {
    const Person = Type.Object(
      { name: Type.String({ minLength: 1 }), tags: Type.Array(Type.String()), age: Type.Optional(Type.Integer()) },
      { $id: 'Person', title: 'A person' },
    );
    const filename = tmp.path('person.jsonl');
    const person = distil((name: string) => ({ name, tags: ['x'] }), Person, {
      name: 'make_person',
      format: 'tools',
      transports: [new winston.transports.File({ filename })],
    });
    person('Ada');
    await person.close();
    const [line] = readJsonLines(filename) as Array<Record<string, any>>;
    const declared = line!.tools[0].function.parameters;
    expect(declared.$id).toBeUndefined();
    expect(Object.getOwnPropertySymbols(declared)).toEqual([]);
    expect(declared.properties.tags).toEqual({ type: 'array', items: { type: 'string' } });
    expect(declared.required).toEqual(['name', 'tags']);
    expect(trainingLine(line)).toBe(true);
  });

  it('have no $id inside either: schemas composed in keep their shape and lose their own $id, while a property named $id stays', async () => {
    const Address = Type.Object({ city: Type.String() }, { $id: 'Address', description: 'Where' });
    const Customer = Type.Object(
      {
        $id: Type.String(),
        home: Address,
        past: Type.Array(Address),
        billing: Type.Union([Address, Type.Null()]),
        note: Type.Unknown({ default: { $id: 'data, not a schema' } }),
      },
      { $id: 'Customer' },
    );
    const filename = tmp.path('customer.jsonl');
    const customer = distil(
      (id: string) => ({ $id: id, home: { city: 'Oslo' }, past: [], billing: null, note: 1 }),
      Customer,
      { name: 'find_customer', format: 'tools', transports: [new winston.transports.File({ filename })] },
    );
    customer('c1');
    await customer.close();
    const [line] = readJsonLines(filename) as Array<Record<string, any>>;
    const address = { description: 'Where', type: 'object', required: ['city'], properties: { city: { type: 'string' } } };
    expect(line!.tools[0].function.parameters).toEqual({
      type: 'object',
      required: ['$id', 'home', 'past', 'billing', 'note'],
      properties: {
        $id: { type: 'string' },
        home: address,
        past: { type: 'array', items: address },
        billing: { anyOf: [address, { type: 'null' }] },
        note: { default: { $id: 'data, not a schema' } },
      },
    });
    expect(trainingLine(line)).toBe(true);
  });

  it.each([
    ['Type.Ref', Type.Object({ home: Type.Ref(Type.Object({ city: Type.String() }, { $id: 'Address' })) }, { $id: 'Customer' }), '$ref "Address" at /properties/home'],
    ['Type.Recursive', Type.Recursive((Node) => Type.Object({ children: Type.Array(Node) }), { $id: 'Tree' }), '$ref "Tree" at /properties/children/items'],
  ])('with %s are refused when wrapping, saying references are not supported and to use the schema inline', (_label, schema, where) => {
    const attempts = [
      () => distil(() => ({}) as never, schema, { name: 'f', transports: [new winston.transports.Console({ silent: true })] }),
      () => swap(() => ({}) as never, schema, { model: 'ft:gpt-4o-mini:acme::1', client: new OpenAI({ apiKey: 'unused', baseURL: 'http://127.0.0.1:9/v1' }), name: 'f' }),
    ];
    for (const attempt of attempts) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect(thrown).toMatchObject({ option: 'schema' });
      expect((thrown as Error).message).toContain(where);
      expect((thrown as Error).message).toContain("references are not supported in a function's parameters");
      expect((thrown as Error).message).toContain('Use the referenced schema inline');
      expect((thrown as Error).message).not.toContain('Type.* helpers');
    }
  });
});
