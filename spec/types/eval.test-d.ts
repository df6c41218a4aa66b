import { expectTypeOf } from 'expect-type';
import OpenAI from 'openai';
import { evaluateModel, DatasetError, FineTuningError, isFnDistilError, type EvalReport, type EvaluateOptions } from 'fn-distil';

expectTypeOf(evaluateModel).parameters.toEqualTypeOf<[EvaluateOptions]>();
expectTypeOf(evaluateModel).returns.toEqualTypeOf<Promise<EvalReport>>();
expectTypeOf<EvalReport['fields']>().toEqualTypeOf<Readonly<Record<string, number>>>();
expectTypeOf<EvalReport['latencyMs']>().toEqualTypeOf<{ readonly p50: number; readonly p95: number }>();

// dataset and model are required; everything else is optional.
// @ts-expect-error `model` is missing
void evaluateModel({ dataset: 'val.jsonl' });
void evaluateModel({ dataset: 'val.jsonl', model: 'ft:x', client: new OpenAI({ apiKey: 'k' }), concurrency: 8, reasks: 1, signal: new AbortController().signal });
// @ts-expect-error concurrency is a number
void evaluateModel({ dataset: 'val.jsonl', model: 'ft:x', concurrency: '8' });
void evaluateModel({ dataset: 'val.jsonl', model: 'my-multiply', server: 'llama.cpp', maxTokens: 128, temperature: 0 });
// @ts-expect-error a server fn-distil has no profile for
void evaluateModel({ dataset: 'val.jsonl', model: 'm', server: 'vLLM' });

const error: unknown = new Error();
if (error instanceof DatasetError) expectTypeOf(error.line).toEqualTypeOf<number | undefined>();
if (error instanceof FineTuningError) expectTypeOf(error.status).toEqualTypeOf<string>();
if (isFnDistilError(error)) expectTypeOf(error.code).toEqualTypeOf<'CONFIGURATION' | 'OUTPUT_VALIDATION' | 'CAPTURE' | 'SWAP' | 'DATASET' | 'FINE_TUNING'>();
