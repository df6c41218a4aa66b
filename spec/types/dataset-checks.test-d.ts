import { expectTypeOf } from 'expect-type';
import { datasetStats, validateDataset, DatasetError, type CheckId, type DatasetIssue, type DatasetReport, type DatasetStats, type Distribution, type ValidateDatasetOptions, type DatasetStatsOptions, type TargetModel, type TargetModelOptions, type TokenEncoding } from 'fn-distil';

expectTypeOf(validateDataset).parameters.toEqualTypeOf<[files: readonly string[], options?: ValidateDatasetOptions]>();
expectTypeOf(validateDataset(['train.jsonl'])).toEqualTypeOf<Promise<DatasetReport>>();
expectTypeOf<DatasetReport['errors']>().toEqualTypeOf<readonly DatasetIssue[]>();
expectTypeOf<DatasetReport['model']>().toEqualTypeOf<TargetModel>();
expectTypeOf<DatasetIssue['line']>().toEqualTypeOf<number | undefined>();
void validateDataset(['a.jsonl', 'b.jsonl'], { model: 'gpt-3.5-turbo-0125', minExamples: 1, maxIssues: 10, threads: 'auto', onProgress: (bytes, total) => void [bytes, total] });
void validateDataset(['a.jsonl'], { model: 'llama', encoding: 'cl100k_base', tokenLimit: 8192, threads: 2 });
// @ts-expect-error files is a list
void validateDataset('train.jsonl');
// @ts-expect-error threads is a number or 'auto'
void validateDataset(['a.jsonl'], { threads: 'all' });

expectTypeOf(datasetStats).parameters.toEqualTypeOf<[file: string, options?: DatasetStatsOptions]>();
expectTypeOf(datasetStats('train.jsonl')).toEqualTypeOf<Promise<DatasetStats>>();
expectTypeOf<DatasetStats['totalTokens']>().toEqualTypeOf<Distribution>();
expectTypeOf<DatasetStats['estimatedCost']>().toEqualTypeOf<number | undefined>();
void datasetStats('train.jsonl', { model: 'gpt-4o-mini-2024-07-18', epochs: 3, pricePerMTok: 3 });
// @ts-expect-error one file
void datasetStats(['train.jsonl']);
// @ts-expect-error the price is a number
void datasetStats('train.jsonl', { pricePerMTok: '3' });

expectTypeOf(new DatasetError('f.jsonl', 3, 'bad')).toHaveProperty('line').toEqualTypeOf<number | undefined>();

// The model options validate and stats share, also on their own.
expectTypeOf<ValidateDatasetOptions>().toMatchTypeOf<TargetModelOptions>();
expectTypeOf<DatasetStatsOptions>().toMatchTypeOf<TargetModelOptions>();
const llama: TargetModelOptions = { model: 'llama-3-8b', encoding: 'cl100k_base', tokenLimit: 8192 };
void validateDataset(['a.jsonl'], { ...llama, minExamples: 1 });
void datasetStats('a.jsonl', llama);
// @ts-expect-error the token limit is a number
void datasetStats('a.jsonl', { tokenLimit: '8192' });
expectTypeOf<DatasetReport['model']['encoding']>().toEqualTypeOf<TokenEncoding>();
expectTypeOf<DatasetIssue['check']>().toEqualTypeOf<string>();
expectTypeOf<keyof DatasetReport['counts']>().toEqualTypeOf<CheckId>();
// The checks of a 'json' line's answer and of prompt-completion files are check ids like the others.
expectTypeOf<'answer_mismatch' | 'invalid_answer' | 'prompt_completion'>().toMatchTypeOf<CheckId>();
