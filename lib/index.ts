// The public API of fn-distil. Everything else under lib/ is internal.
// lib/finetune/ is the CLI's own layer over the openai client (upload, wait, follow): deliberately not exported.
export { distil } from './distil/distil.js';
export { createInstructions } from './distil/instructions.js';
export { swap } from './swap/swap.js';
export { evaluateModel } from './eval/evaluate.js';
export { splitDataset } from './dataset/split.js';
export { dedupeDataset } from './dataset/dedupe.js';
export { mergeDatasets } from './dataset/merge.js';
export { convertDataset } from './dataset/convert.js';
export { validateDataset } from './dataset/validate.js';
export { datasetStats } from './dataset/stats.js';
export {
  FnDistilError,
  ConfigurationError,
  OutputValidationError,
  CaptureError,
  SwapError,
  DatasetError,
  FineTuningError,
  isFnDistilError,
} from './errors.js';

export type { DistilOptions, ExampleOf } from './distil/options.js';
export type { Instructions } from './distil/instructions.js';
export type { Distilled, Returned, SchemaResult } from './distil/types.js';
export type { FnDistilErrorCode, ValidationIssue, CaptureStage, SwapAttempt, SwapFailureKind } from './errors.js';
export type { Swapped } from './swap/swap.js';
export type { SwapOptions, SwapMode, SwapComparison, PromptOptions } from './swap/options.js';
export type { ServerName } from './servers/types.js';
export type { SwapStats, Percentiles } from './swap/stats.js';
export type { ExampleFormat, Example, ChatExample, RawExample, ChatMessage, FunctionDefinition } from './formats/types.js';
export type { JsonSchema } from './schema/plain.js';
export type { EvaluateOptions } from './eval/options.js';
export type { EvalReport } from './eval/metrics.js';
export type { SplitDatasetOptions, SplitResult, SplitOutput } from './dataset/split.js';
export type { DedupeDatasetOptions, DedupeResult } from './dataset/dedupe.js';
export type { MergeDatasetsOptions, MergeResult, ShardCounts } from './dataset/merge.js';
export type { ConvertDatasetOptions, ConvertResult } from './dataset/convert.js';
export type { ConvertTarget, ArgumentsShape, CompletionShape } from './dataset/convert-line.js';
export type { SkippedLine } from './dataset/records.js';
export type { DatasetReport, DatasetIssue, ValidateDatasetOptions } from './dataset/validate.js';
export type { DatasetStats, DatasetStatsOptions } from './dataset/stats.js';
export type { Distribution } from './dataset/percentiles.js';
export type { TargetModel, TargetModelOptions, TokenEncoding } from './dataset/models.js';
export type { CheckId } from './dataset/checks.js';
