// The public API of fn-distil. Everything else under lib/ is internal.
export { distil } from './distil/distil.js';
export { createInstructions } from './distil/instructions.js';
export {
  FnDistilError,
  ConfigurationError,
  OutputValidationError,
  CaptureError,
  isFnDistilError,
} from './errors.js';

export type { DistilOptions } from './distil/options.js';
export type { Instructions } from './distil/instructions.js';
export type { Distilled, SchemaResult } from './distil/types.js';
export type { FnDistilErrorCode, ValidationIssue, CaptureStage } from './errors.js';
export type { ExampleFormat, Example, ChatExample, RawExample, ChatMessage, FunctionDefinition } from './formats/types.js';
export type { JsonSchema } from './schema/plain.js';
