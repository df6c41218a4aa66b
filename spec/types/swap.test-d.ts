import { Type, type Static } from '@sinclair/typebox';
import { expectTypeOf } from 'expect-type';
import OpenAI from 'openai';
import winston from 'winston';
import { distil, swap, type Percentiles, type ServerName, type SwapComparison, type SwapOptions, type SwapStats, type Swapped } from 'fn-distil';

const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
const impl = (a: number, b: number) => ({ a, b, result: a * b });
const multiply = distil(impl, Multiply, { transports: [new winston.transports.Console()] });

const fromDistilled = swap(multiply, { model: 'ft:x', client: new OpenAI({ apiKey: 'k' }) });
expectTypeOf(fromDistilled).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(fromDistilled).returns.toEqualTypeOf<Promise<Static<typeof Multiply>>>();
expectTypeOf(fromDistilled.stats()).toEqualTypeOf<SwapStats>();
expectTypeOf(fromDistilled).toMatchTypeOf<Swapped<typeof Multiply, unknown, [number, number]>>();

const fromPlain = swap(impl, Multiply, { model: 'ft:x', mode: 'canary', ratio: 0.1 });
expectTypeOf(fromPlain).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(fromPlain).returns.toEqualTypeOf<Promise<Static<typeof Multiply>>>();

// @ts-expect-error a plain function needs its schema
swap(impl, { model: 'ft:x' });
// @ts-expect-error a distil() function brings its schema: swap(multiply, options)
swap(multiply, Multiply, { model: 'ft:x' });
// Its original with a schema of your choice is a plain function.
const fromOriginal = swap(multiply.original, Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer({ minimum: 0 }) }), { model: 'ft:x' });
expectTypeOf(fromOriginal).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(fromOriginal).returns.toEqualTypeOf<Promise<{ a: number; b: number; result: number }>>();
// @ts-expect-error model is required
swap(multiply, {});
// @ts-expect-error wrong return type
swap((a: number) => ({ a }), Multiply, { model: 'ft:x' });
// @ts-expect-error unknown mode
swap(multiply, { model: 'ft:x', mode: 'yolo' });
// @ts-expect-error wrong argument type
void fromDistilled('1', 2);

// The properties: the schema as given, the original as given, stats() and flush().
expectTypeOf(fromDistilled.schema).toEqualTypeOf<typeof Multiply>();
expectTypeOf(fromPlain.schema).toEqualTypeOf<typeof Multiply>();
expectTypeOf(fromPlain.original).toEqualTypeOf<(this: unknown, a: number, b: number) => unknown>();
expectTypeOf(fromDistilled.original).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(fromDistilled.flush).toEqualTypeOf<() => Promise<void>>();
expectTypeOf(fromDistilled.stats).returns.toEqualTypeOf<SwapStats>();
expectTypeOf(fromDistilled.stats().latencyMs.model).toEqualTypeOf<Percentiles>();
expectTypeOf(fromDistilled.stats().agreement.fields).toEqualTypeOf<Readonly<Record<string, number>>>();
expectTypeOf(fromDistilled.stats().modelShare).toEqualTypeOf<number>();
// @ts-expect-error schema is read-only
fromDistilled.schema = Multiply;
// @ts-expect-error stats() is a snapshot: its counts are read-only
fromDistilled.stats().calls = 0;

// A `this`-typed original keeps its `this`.
const scaler = {
  factor: 10,
  times(this: { factor: number }, a: number) {
    return { a, b: this.factor, result: a * this.factor };
  },
};
const scaled = swap(scaler.times, Multiply, { model: 'ft:x', name: 'times' });
expectTypeOf(scaled).thisParameter.toEqualTypeOf<{ factor: number }>();
expectTypeOf(scaled).parameters.toEqualTypeOf<[number]>();
expectTypeOf(scaled.original).thisParameter.toEqualTypeOf<{ factor: number }>();
void scaled.call({ factor: 3 }, 4);
const holder = { factor: 3, times: scaled };
expectTypeOf(holder.times(4)).toEqualTypeOf<Promise<Static<typeof Multiply>>>();
// @ts-expect-error called without the `this` it needs
void scaled(4);

// A distil()-wrapped async function: still one promise, of the schema's type.
const asyncMultiply = distil(async (a: number, b: number) => ({ a, b, result: a * b }), Multiply, { name: 'async_multiply', transports: [new winston.transports.Console()] });
const fromAsync = swap(asyncMultiply, { model: 'ft:x' });
expectTypeOf(fromAsync).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(fromAsync).returns.toEqualTypeOf<Promise<Static<typeof Multiply>>>();
const fromAsyncPlain = swap(async (a: number, b: number) => ({ a, b, result: a * b }), Multiply, { model: 'ft:x', name: 'async_multiply' });
expectTypeOf(fromAsyncPlain).returns.toEqualTypeOf<Promise<Static<typeof Multiply>>>();
// @ts-expect-error an async function whose promise is of the wrong type
swap(async (a: number) => ({ a }), Multiply, { model: 'ft:x' });

// Optional and rest parameters stay as they are.
const optional = swap((a: number, b?: number) => ({ a, b: b ?? 1, result: a * (b ?? 1) }), Multiply, { model: 'ft:x', name: 'times' });
expectTypeOf(optional).parameters.toEqualTypeOf<[a: number, b?: number]>();
void optional(2);
void optional(2, 3);
// @ts-expect-error the first parameter is not optional
void optional();
const rest = swap((...factors: number[]) => ({ a: factors[0] ?? 0, b: factors[1] ?? 0, result: factors.reduce((x, y) => x * y, 1) }), Multiply, { model: 'ft:x', name: 'product' });
expectTypeOf(rest).parameters.toEqualTypeOf<number[]>();

// onCompare receives a SwapComparison.
expectTypeOf<SwapOptions['onCompare']>().toEqualTypeOf<((comparison: SwapComparison) => void) | undefined>();
swap(multiply, {
  model: 'ft:x',
  mode: 'shadow',
  onCompare: (comparison) => {
    expectTypeOf(comparison).toEqualTypeOf<SwapComparison>();
    expectTypeOf(comparison.error).toEqualTypeOf<Error | undefined>();
    expectTypeOf(comparison.fields).toEqualTypeOf<Readonly<Record<string, boolean>>>();
  },
});
// An async onCompare is accepted (flush() waits for it).
swap(multiply, { model: 'ft:x', mode: 'shadow', onCompare: async ({ exact }) => void (await Promise.resolve(exact)) });
// @ts-expect-error onCompare takes one comparison, not the call's arguments
swap(multiply, { model: 'ft:x', mode: 'shadow', onCompare: (a: number, b: number) => a + b });

// The server that hosts the model, and the answer's bounds.
expectTypeOf<SwapOptions['server']>().toEqualTypeOf<ServerName | undefined>();
expectTypeOf<ServerName>().toEqualTypeOf<'openai' | 'vllm' | 'sglang' | 'llama.cpp' | 'ollama' | 'lmstudio' | 'tgi' | 'transformers' | 'generic'>();
swap(multiply, { model: 'my-multiply', server: 'llama.cpp', maxTokens: 256, temperature: 0 });
// @ts-expect-error a server fn-distil has no profile for
swap(multiply, { model: 'm', server: 'llamacpp' });
// @ts-expect-error maxTokens is a number
swap(multiply, { model: 'm', maxTokens: '256' });
