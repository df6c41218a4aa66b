// Compiled by `npm run typecheck` (part of `npm test`): every line here must type-check, and
// every `@ts-expect-error` must see an error, or the suite fails.
import { Type, type Static } from '@sinclair/typebox';
import { expectTypeOf } from 'expect-type';
import winston from 'winston';
import {
  CaptureError,
  ConfigurationError,
  createInstructions,
  distil,
  FnDistilError,
  isFnDistilError,
  OutputValidationError,
  type CaptureStage,
  type DistilOptions,
  type Distilled,
  type Returned,
  type Example,
  type ExampleFormat,
  type ExampleOf,
  type FnDistilErrorCode,
  type Instructions,
  type ValidationIssue,
} from 'fn-distil';

const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
type Multiply = Static<typeof Multiply>;
const transports = [new winston.transports.File({ filename: 'x.jsonl' })];

// A sync function stays sync, with exactly its parameters.
const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports });
expectTypeOf(multiply).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(multiply(1, 2)).toEqualTypeOf<{ a: number; b: number; result: number }>();
expectTypeOf(multiply(1, 2)).toMatchTypeOf<Multiply>();
// @ts-expect-error wrong argument type
multiply('1', 2);
// @ts-expect-error missing argument
multiply(1);

// A custom thenable comes back as a native promise of its value: the type does not claim its extra members.
type Query = PromiseLike<Multiply> & { cancel(): void };
const query = distil((a: number, b: number): Query => Object.assign(Promise.resolve({ a, b, result: a * b }), { cancel: () => undefined }), Multiply, { transports });
expectTypeOf(query(1, 2)).toEqualTypeOf<Promise<Multiply>>();
// @ts-expect-error the wrapper returns a native promise, which has no cancel()
query(1, 2).cancel();
expectTypeOf(query.original).returns.toEqualTypeOf<Query>();

// An async function returns a promise of the schema's type.
const slow = distil(async (a: number, b: number): Promise<Multiply> => ({ a, b, result: a * b }), Multiply, { transports });
expectTypeOf(slow).returns.toEqualTypeOf<Promise<Multiply>>();
expectTypeOf(slow).parameters.toEqualTypeOf<[number, number]>();

// Optional and rest parameters are kept.
const optional = distil((a: number, b?: number): Multiply => ({ a, b: b ?? 1, result: a }), Multiply, { transports });
expectTypeOf(optional).parameters.toEqualTypeOf<[a: number, b?: number]>();
const rest = distil((...xs: number[]): Multiply => ({ a: xs.length, b: 0, result: 0 }), Multiply, { transports });
expectTypeOf(rest).parameters.toEqualTypeOf<number[]>();

// `this` is kept.
const method = distil(function (this: { factor: number }, a: number): Multiply {
  return { a, b: this.factor, result: a * this.factor };
}, Multiply, { transports });
expectTypeOf(method).thisParameter.toEqualTypeOf<{ factor: number }>();

// A function that does not return the schema's type is rejected.
// @ts-expect-error result must be a number
distil((a: number, b: number) => ({ a, b, result: String(a * b) }), Multiply, { transports });
// @ts-expect-error missing property
distil((a: number) => ({ a }), Multiply, { transports });
// @ts-expect-error a promise of the wrong type
distil(async (a: number) => ({ a }), Multiply, { transports });

// Extras.
expectTypeOf(multiply.schema).toEqualTypeOf<typeof Multiply>();
expectTypeOf(multiply.original).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(multiply.flush).toEqualTypeOf<() => Promise<void>>();
expectTypeOf(multiply.close).toEqualTypeOf<() => Promise<void>>();
expectTypeOf(multiply).toMatchTypeOf<Distilled<typeof Multiply, unknown, [number, number], { a: number; b: number; result: number }>>();

// Options.
expectTypeOf<DistilOptions['format']>().toEqualTypeOf<ExampleFormat | undefined>();
expectTypeOf<NonNullable<DistilOptions['redact']>>().toEqualTypeOf<(example: Example) => Example | undefined>();
expectTypeOf<NonNullable<DistilOptions['onError']>>().parameters.toEqualTypeOf<[CaptureError]>();
// @ts-expect-error unknown format
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: 'yaml' });
// @ts-expect-error sampleRate is a number
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, sampleRate: '1' });
// @ts-expect-error options are readonly
({ sampleRate: 1 } as DistilOptions).sampleRate = 0;

// Instructions keep the same typing.
const instructions = createInstructions({ transports });
expectTypeOf(instructions).toEqualTypeOf<Instructions>();
const viaInstructions = instructions.distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply);
expectTypeOf(viaInstructions).parameters.toEqualTypeOf<[number, number]>();
// @ts-expect-error wrong return type through instructions too
instructions.distil((a: number) => ({ a }), Multiply);

// Errors.
expectTypeOf<OutputValidationError>().toMatchTypeOf<FnDistilError>();
expectTypeOf<ConfigurationError>().toMatchTypeOf<FnDistilError>();
expectTypeOf<CaptureError>().toMatchTypeOf<FnDistilError>();
expectTypeOf<OutputValidationError['issues']>().toEqualTypeOf<readonly ValidationIssue[]>();
expectTypeOf<CaptureError['stage']>().toEqualTypeOf<CaptureStage>();
expectTypeOf<FnDistilError['code']>().toEqualTypeOf<FnDistilErrorCode>();
expectTypeOf(isFnDistilError).guards.toEqualTypeOf<FnDistilError>();

// Options may be left out (examples then go to `<name>.jsonl`); the wrapper is typed the same.
const defaulted = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply);
expectTypeOf(defaulted).parameters.toEqualTypeOf<[number, number]>();
expectTypeOf(defaulted(1, 2)).toEqualTypeOf<{ a: number; b: number; result: number }>();
expectTypeOf(distil).parameter(2).toEqualTypeOf<DistilOptions | undefined>();
// ...but options that are given are still checked.
// @ts-expect-error a misspelled option
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transport: transports });
// @ts-expect-error transports is an array of transports
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports: 'examples.jsonl' });

// A redact hook written for the chat shape fits the chat formats, the default one included...
const chatOnly = (example: import('fn-distil').ChatExample): import('fn-distil').ChatExample => example;
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: 'tools', redact: chatOnly });
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, redact: chatOnly });
// ...but not 'raw', whose lines have no messages: `redact` is a function property, checked strictly.
// @ts-expect-error a chat hook with format 'raw'
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: 'raw', redact: chatOnly });
const rawOnly = (example: import('fn-distil').RawExample): import('fn-distil').RawExample => ({ ...example, args: [] });
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: 'raw', redact: rawOnly });
// @ts-expect-error a raw hook with the default format, 'messages'
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, redact: rawOnly });
// An inline hook is typed by the format.
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
  transports,
  format: 'raw',
  redact: (example) => {
    expectTypeOf(example).toEqualTypeOf<import('fn-distil').RawExample>();
    return example;
  },
});
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
  transports,
  format: 'json',
  redact: (example) => {
    expectTypeOf(example).toEqualTypeOf<import('fn-distil').ChatExample>();
    return example;
  },
});
// A format known only at run time takes a hook for either shape.
const someFormat = 'messages' as ExampleFormat;
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: someFormat, redact: (example: Example) => example });
// @ts-expect-error a chat-only hook for a format known only at run time
distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { transports, format: someFormat, redact: chatOnly });
expectTypeOf<ExampleOf<'raw'>>().toEqualTypeOf<import('fn-distil').RawExample>();
expectTypeOf<ExampleOf<'tools'>>().toEqualTypeOf<import('fn-distil').ChatExample>();

// Returned leaves native promises and plain values alone.
expectTypeOf<Returned<Promise<Multiply>>>().toEqualTypeOf<Promise<Multiply>>();
expectTypeOf<Returned<Multiply | Promise<Multiply>>>().toEqualTypeOf<Multiply | Promise<Multiply>>();
