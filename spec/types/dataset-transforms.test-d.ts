import { expectTypeOf } from 'expect-type';
import {
  convertDataset,
  dedupeDataset,
  mergeDatasets,
  splitDataset,
  DatasetError,
  type ArgumentsShape,
  type CompletionShape,
  type ConvertResult,
  type ConvertTarget,
  type DedupeResult,
  type MergeResult,
  type ShardCounts,
  type SkippedLine,
  type SplitResult,
} from 'fn-distil';

expectTypeOf(splitDataset('data.jsonl')).toEqualTypeOf<Promise<SplitResult>>();
expectTypeOf(splitDataset('data.jsonl', { validation: 0.2, seed: 7, trainOutput: 't.jsonl', validationOutput: 'v.jsonl' })).resolves.toHaveProperty('validation').toEqualTypeOf<{ readonly file: string; readonly examples: number }>();
expectTypeOf(dedupeDataset('data.jsonl', { output: 'out.jsonl', skipInvalid: true, onSkip: (line) => expectTypeOf(line).toEqualTypeOf<SkippedLine>() })).toEqualTypeOf<Promise<DedupeResult>>();
expectTypeOf<DedupeResult>().toMatchTypeOf<ShardCounts & { readonly output: string }>();
expectTypeOf(mergeDatasets(['a.jsonl', 'b.jsonl'], 'all.jsonl', { dedupe: false })).toEqualTypeOf<Promise<MergeResult>>();
expectTypeOf<MergeResult['shards']>().toEqualTypeOf<readonly ShardCounts[]>();
expectTypeOf(convertDataset('data.jsonl', 'json', { toolName: 'Multiply', toolDescription: 'x' })).toEqualTypeOf<Promise<ConvertResult>>();
expectTypeOf<ConvertTarget>().toEqualTypeOf<'messages' | 'tools' | 'json' | 'prompt-completion'>();
expectTypeOf(convertDataset('data.jsonl', 'prompt-completion', { completion: 'tools', argumentsAs: 'object' })).toEqualTypeOf<Promise<ConvertResult>>();
expectTypeOf<ArgumentsShape>().toEqualTypeOf<'string' | 'object'>();
expectTypeOf<CompletionShape>().toEqualTypeOf<'json' | 'tools'>();
expectTypeOf<ConvertResult['from']>().toEqualTypeOf<Readonly<Record<'messages' | 'tools' | 'json' | 'raw', number>>>();
expectTypeOf(new DatasetError('f', 3, 'm').line).toEqualTypeOf<number | undefined>();
expectTypeOf(splitDataset).parameter(1).exclude<undefined>().toHaveProperty('onProgress').exclude<undefined>().parameters.toEqualTypeOf<[number, number]>();

// @ts-expect-error 'raw' is a capture format, not a conversion target
void convertDataset('data.jsonl', 'raw');
// @ts-expect-error a completion holds the json or the tools format's answer
void convertDataset('data.jsonl', 'prompt-completion', { completion: 'messages' });
// @ts-expect-error arguments are a string or an object
void convertDataset('data.jsonl', 'tools', { argumentsAs: 'json' });
// @ts-expect-error merge needs its output
void mergeDatasets(['a.jsonl']);
// @ts-expect-error the share is a number
void splitDataset('data.jsonl', { validation: '0.1' });
// @ts-expect-error results are read-only
(null as unknown as SplitResult).examples = 1;
