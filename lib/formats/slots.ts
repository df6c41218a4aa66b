/** The per-call values an example is built from. */
export interface CallSlots {
  /** The user message, `Return name(args)`. */
  readonly user: string;
  /** The output as JSON text (function arguments or assistant content). */
  readonly output: string;
  /** The recorded arguments. */
  readonly args: unknown[];
  /** The output value. */
  readonly resp: unknown;
}
