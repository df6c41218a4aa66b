// Compiled by `npm run typecheck` (part of `npm test`): every line here must type-check, and
// every `@ts-expect-error` must see an error, or the suite fails.
import { Type } from '@sinclair/typebox';
import { expectTypeOf } from 'expect-type';
import winston from 'winston';
import { createInstructions, type ChatExample, type Example, type ExampleFormat, type Instructions, type RawExample } from 'fn-distil';

const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
const multiply = (a: number, b: number) => ({ a, b, result: a * b });
const transports = [new winston.transports.File({ filename: 'finetunes.jsonl' })];
const chatOnly = (example: ChatExample): ChatExample => example;
const rawOnly = (example: RawExample): RawExample => ({ ...example, args: [] });
const either = (example: Example): Example => example;

// A function's redact is typed by its format, as with distil().
const instructions = createInstructions({ transports });
instructions.distil(multiply, Multiply, { format: 'tools', redact: chatOnly });
instructions.distil(multiply, Multiply, { redact: chatOnly });
instructions.distil(multiply, Multiply, { format: 'raw', redact: rawOnly });
// @ts-expect-error a chat hook with format 'raw'
instructions.distil(multiply, Multiply, { format: 'raw', redact: chatOnly });
// @ts-expect-error a raw hook with the default format, 'messages'
instructions.distil(multiply, Multiply, { redact: rawOnly });
// An inline hook is typed by the function's format.
instructions.distil(multiply, Multiply, {
  format: 'raw',
  redact: (example) => {
    expectTypeOf(example).toEqualTypeOf<RawExample>();
    return example;
  },
});

// The defaults' format is the functions' format unless they give their own.
const raw = createInstructions({ transports, format: 'raw' });
expectTypeOf(raw).toEqualTypeOf<Instructions<'raw'>>();
raw.distil(multiply, Multiply, { redact: rawOnly });
// @ts-expect-error a chat hook for a function inheriting format 'raw'
raw.distil(multiply, Multiply, { redact: chatOnly });
raw.distil(multiply, Multiply, { format: 'json', redact: chatOnly });

// The defaults' own hook is typed by the defaults' format.
createInstructions({ transports, format: 'tools', redact: chatOnly });
// @ts-expect-error a raw hook in defaults whose format is the default, 'json'
createInstructions({ transports, redact: rawOnly });

// A defaults' hook for one shape cannot reach a function of the other shape: that function brings its own.
const scrubbing = createInstructions({ transports, redact: chatOnly });
expectTypeOf(scrubbing).toEqualTypeOf<Instructions<'json', true>>();
scrubbing.distil(multiply, Multiply);
scrubbing.distil(multiply, Multiply, { format: 'json' });
scrubbing.distil(multiply, Multiply, { format: 'raw', redact: rawOnly });
// @ts-expect-error format 'raw' would hand raw lines to the defaults' chat hook
scrubbing.distil(multiply, Multiply, { format: 'raw' });
// No defaults at all.
expectTypeOf(createInstructions()).toEqualTypeOf<Instructions>();
expectTypeOf(createInstructions()).toEqualTypeOf<Instructions<'json', false>>();
// A hook for either shape fits every format.
const someFormat = 'messages' as ExampleFormat;
const anyShape = createInstructions({ transports, format: someFormat, redact: either });
anyShape.distil(multiply, Multiply, { format: 'raw' });
anyShape.distil(multiply, Multiply, { format: 'tools' });

// Typing of the wrapped function itself is distil()'s.
const wrapped = raw.distil(multiply, Multiply, { name: 'three_digit_multiply' });
expectTypeOf(wrapped).parameters.toEqualTypeOf<[number, number]>();
// @ts-expect-error wrong return type
raw.distil((a: number) => ({ a }), Multiply);
// @ts-expect-error a misspelled option
createInstructions({ transport: transports });
// @ts-expect-error a misspelled option of a function
instructions.distil(multiply, Multiply, { samplerate: 1 });
