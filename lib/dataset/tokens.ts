import type { TokenEncoding } from './models.js';

/** Counts the tokens of a text with one tokenizer. */
export type TokenCounter = (text: string) => number;

/** Tokens counted for one example, the way OpenAI bills and truncates training examples. */
export interface ExampleTokens {
  /** Every message, function/tool declaration and the chat format's own tokens. */
  readonly total: number;
  /** Tokens of the assistant messages: what the model is trained to produce. */
  readonly assistant: number;
}

const loaded = new Map<TokenEncoding, Promise<TokenCounter>>();
// Text is counted as text: a literal "<|endoftext|>" inside a message is not a special token.
const asText = { disallowedSpecial: new Set<string>() };

/**
 * The tokenizer of an encoding, from the maintained gpt-tokenizer package. Loaded on first use:
 * its rank tables are megabytes that `distil()` users never need.
 */
export function loadTokenCounter(encoding: TokenEncoding): Promise<TokenCounter> {
  let counter = loaded.get(encoding);
  if (counter === undefined) {
    const module =
      encoding === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base');
    counter = module.then(({ countTokens }) => (text: string) => countTokens(text, asText));
    loaded.set(encoding, counter);
  }
  return counter;
}

// OpenAI's published way of counting chat tokens: each message costs 3 tokens of framing plus
// its fields, and every reply is primed with 3 more. Function and tool declarations are
// counted as their JSON, an estimate: the server renders them in its own syntax.
const perMessage = 3;
const perName = 1;
const replyPriming = 3;

/** Counts one example's tokens (its `messages`, and `tools` or `functions` if declared). */
export function countExampleTokens(example: { readonly messages?: unknown; readonly tools?: unknown; readonly functions?: unknown }, count: TokenCounter): ExampleTokens {
  let total = replyPriming;
  let assistant = 0;
  const messages = Array.isArray(example.messages) ? (example.messages as unknown[]) : [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    let tokens = perMessage;
    for (const [key, value] of Object.entries(message)) {
      if (key === 'weight') continue;
      if (typeof value === 'string') tokens += count(value) + (key === 'name' ? perName : 0);
      else if (value !== null && value !== undefined) tokens += count(JSON.stringify(value));
    }
    total += tokens;
    if ((message as { role?: unknown }).role === 'assistant') assistant += tokens;
  }
  if (example.tools !== undefined) total += count(JSON.stringify(example.tools));
  if (example.functions !== undefined) total += count(JSON.stringify(example.functions));
  return { total, assistant };
}

/**
 * Whether a line of `bytes` UTF-8 bytes can hold more than `limit` tokens. Every token stands
 * for at least one byte of text, and the line's JSON spends more bytes on framing than the
 * count above does on tokens, so a line no longer than the limit never exceeds it: validation
 * can skip tokenizing almost every line and still never miss one that is too long.
 */
export function mayExceed(bytes: number, limit: number): boolean {
  return bytes > limit;
}
