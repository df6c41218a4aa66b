import * as crypto from 'node:crypto';

// crypto.hash (Node >= 20.12) hashes a string in one call, several times faster than a Hash
// object per line; older Node 20 releases get the same digest the slow way.
// 'binary' (latin1) gives one character per byte, the cheapest form to read words from.
const oneShot = (crypto as Partial<Pick<typeof crypto, 'hash'>>).hash;
const digestOf: (text: string) => string = oneShot === undefined ? (text) => crypto.createHash('sha1').update(text).digest('binary') : (text) => oneShot('sha1', text, 'binary');

const shardBits = 8;
const initialSlots = 64;
// Slot layout: three 32-bit words of the digest, then the line's id (0 when the slot is empty).
const wordsPerSlot = 4;

interface Shard {
  slots: Uint32Array;
  used: number;
}

/**
 * Writes the 96-bit digest of a line (SHA-1, truncated) as three 32-bit words into `out` at
 * `at`: what {@link DigestSet} stores, computed wherever the line is read.
 */
export function lineDigest(text: string, out: Uint32Array, at: number): void {
  const digest = digestOf(text);
  out[at] = word(digest, 0);
  out[at + 1] = word(digest, 4);
  out[at + 2] = word(digest, 8);
}

/**
 * The set of lines seen so far, as 96-bit digests in open-addressing hash tables: 16 bytes a
 * slot, tables kept 35 to 70% full, so 23 to 46 bytes per distinct line whatever its length.
 * 256 shards grow one at a time, so memory never spikes to twice the table while it grows.
 * With 96 bits, a false duplicate among a billion lines has a chance around 1 in 10^11.
 */
export class DigestSet {
  private readonly shards: Shard[] = Array.from({ length: 1 << shardBits }, () => ({ slots: new Uint32Array(initialSlots * wordsPerSlot), used: 0 }));

  /**
   * Adds a digest (three words of `words` from `at`) with `id`, any positive 32-bit number
   * such as a line's position in the files, and returns 0; or returns the id stored with the
   * same digest before.
   */
  add(words: Uint32Array, at: number, id: number): number {
    const a = words[at] as number;
    const shard = this.shards[a >>> (32 - shardBits)] as Shard;
    const found = probe(shard.slots, a, words[at + 1] as number, words[at + 2] as number, id);
    if (found !== 0) return found;
    if (++shard.used * 10 > (shard.slots.length / wordsPerSlot) * 7) grow(shard);
    return 0;
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    let bytes = 0;
    for (const shard of this.shards) bytes += shard.slots.byteLength;
    return bytes;
  }
}

function word(digest: string, at: number): number {
  return (digest.charCodeAt(at) | (digest.charCodeAt(at + 1) << 8) | (digest.charCodeAt(at + 2) << 16) | (digest.charCodeAt(at + 3) << 24)) >>> 0;
}

/** Finds the digest's slot: returns the id there, or inserts `id` into the empty slot and returns 0. */
function probe(slots: Uint32Array, a: number, b: number, c: number, id: number): number {
  const mask = slots.length / wordsPerSlot - 1;
  // `b` picks the slot: `a`'s top bits already picked the shard.
  for (let slot = b & mask; ; slot = (slot + 1) & mask) {
    const at = slot * wordsPerSlot;
    const stored = slots[at + 3] as number;
    if (stored === 0) {
      slots[at] = a;
      slots[at + 1] = b;
      slots[at + 2] = c;
      slots[at + 3] = id;
      return 0;
    }
    if (slots[at] === a && slots[at + 1] === b && slots[at + 2] === c) return stored;
  }
}

function grow(shard: Shard): void {
  const old = shard.slots;
  shard.slots = new Uint32Array(old.length * 2);
  for (let at = 0; at < old.length; at += wordsPerSlot) {
    const id = old[at + 3] as number;
    if (id !== 0) probe(shard.slots, old[at] as number, old[at + 1] as number, old[at + 2] as number, id);
  }
}
