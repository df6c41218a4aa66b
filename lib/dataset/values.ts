/** Helpers for checking parsed JSON values and naming them in messages. */

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// C0 and C1 controls and DEL: an escape sequence from a file (ESC [ 2 J clears the screen) must
// reach a terminal as text. JSON.stringify escapes C0 only.
const controls = /\p{Cc}/gu;

/**
 * Text from a file or a server, made safe to print: each control character as `\u001b`, so a
 * message quoting a line that holds an escape sequence shows it instead of running it.
 */
export function escapeControls(text: string): string {
  return text.replace(controls, (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}

/** A value as a message names it: `"developer"`, `a number (3)`, `a list`, `null`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return escapeControls(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value));
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'a number' : 'a boolean'} (${String(value)})`;
}

/** What a `type` that must be "function" is instead, said as a fact: `has no "type"` or `has type "tool"`. */
export function typeIsNotFunction(value: unknown): string {
  return `${value === undefined ? 'has no "type"' : `has type ${describe(value)}`}; it must be "function"`;
}
