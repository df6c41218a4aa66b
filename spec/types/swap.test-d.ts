import { Type, type Static } from '@sinclair/typebox';
import { expectTypeOf } from 'expect-type';
import OpenAI from 'openai';
import winston from 'winston';
import { distil, swap, type SwapStats, type Swapped } from 'fn-distil';

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
