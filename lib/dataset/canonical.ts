import { createHash, hash } from 'node:crypto';

/**
 * The JSON text of a parsed value with every object's keys sorted: two lines holding the same
 * JSON value (whatever their key order, whitespace or number spelling, `1.0` or `1`) have the
 * same canonical text. Array order is kept: it is part of the value (the order of messages).
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    text += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `${text}}`;
}

// `crypto.hash` (Node 20.12+) skips the Hash object a `createHash` call allocates.
const sha256: (text: string) => Buffer =
  typeof hash === 'function' ? (text) => hash('sha256', text, 'buffer') : (text) => createHash('sha256').update(text).digest();

/**
 * A 128-bit digest (the first half of SHA-256) of a value's canonical JSON: what duplicate
 * detection keeps per distinct line instead of the line itself. Two different values collide
 * with probability about n²/2¹²⁹, never in practice for any dataset that fits on a disk.
 */
export function valueDigest(value: unknown): Buffer {
  return sha256(canonicalJson(value));
}
