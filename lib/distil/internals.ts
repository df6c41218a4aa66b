import type { TSchema } from '@sinclair/typebox';
import type { PromptSpec } from '../prompt/prompt.js';
import type { Signature } from '../prompt/signature.js';
import type { CompiledValidator } from '../validation/validator.js';
import type { DistilOptions } from './options.js';

/** What a distil() wrapper fixed when wrapping, kept for swap() to inherit. Not public. */
export interface DistilInternals {
  readonly spec: PromptSpec;
  readonly signature: Signature;
  readonly validator: CompiledValidator<TSchema>;
  readonly options: DistilOptions;
}

// Symbol.for, so a swap() from one copy of the package can read a wrapper from another.
export const internals = Symbol.for('fn-distil.internals');

export function internalsOf(fn: unknown): DistilInternals | undefined {
  return typeof fn === 'function' ? (fn as unknown as { [internals]?: DistilInternals })[internals] : undefined;
}
