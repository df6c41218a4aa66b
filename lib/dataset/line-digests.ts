import { hashLatin1 } from './hash.js';

/** 32-bit words of a line's digest. */
export const digestWords = 2;
/** Words of a record passed between threads: the line's digest, then its line number. */
export const recordWords = digestWords + 1;
const slotWords = digestWords + 1;
const shardBits = 8;
const shards = 1 << shardBits;
const maxLoad = 0.8;
// Sized 70% full for the lines expected: shards fill unevenly, and most stay under maxLoad.
const plannedLoad = 0.7;
const minSlots = 64;

/**
 * Writes the 64-bit digest of a line's text (SHA-1, truncated) as two 32-bit words into `out` at
 * `at`: what {@link LineDigestTable} stores, computed on whichever thread reads the line.
 */
export function lineDigest(text: string, out: Uint32Array, at: number): void {
  const digest = hashLatin1('sha1', text);
  out[at] = word(digest, 0);
  out[at + 1] = word(digest, 4);
}

interface Shard {
  slots: Uint32Array;
  capacity: number;
  used: number;
}

/**
 * The lines seen so far by `validate`, each as a 64-bit digest of its text with the id of its
 * first occurrence, so a repeated line names the line it repeats. Lines are the same when their
 * text is (a byte-identical line); `dedupe` and `merge` compare JSON values instead
 * (`ValueDigestSet`, value-digests.ts), so every line this flags, they drop, and more. Digests of
 * text need no parsed value, which keeps them cheap enough for validate's speed target.
 *
 * 12 bytes a slot in open-addressing tables sized for the lines expected (70% full, grown by half
 * past 80% when the guess was short), so 15 to 23 bytes per distinct line whatever its length. 256
 * shards grow one at a time, so memory never spikes while a table grows. A false duplicate among
 * n lines has a chance of about n² / 2^65: 1 in 10 million for 2 million lines (only a warning).
 */
export class LineDigestTable {
  private readonly shards: Shard[];

  /** `expectedLines`: how many lines the files are thought to hold (a guess is fine). */
  constructor(expectedLines = 0) {
    const capacity = Math.max(minSlots, Math.ceil(expectedLines / shards / plannedLoad));
    this.shards = Array.from({ length: shards }, () => ({ slots: new Uint32Array(capacity * slotWords), capacity, used: 0 }));
  }

  /**
   * Adds a digest (the words of `words` from `at`) with `id`, any positive 32-bit number such
   * as a line's position in the files, and returns 0; or returns the id stored with the same
   * digest before.
   */
  add(words: Uint32Array, at: number, id: number): number {
    const a = words[at] as number;
    const shard = this.shards[a >>> (32 - shardBits)] as Shard;
    const found = probe(shard, a, words[at + 1] as number, id);
    if (found !== 0) return found;
    if (++shard.used > shard.capacity * maxLoad) grow(shard);
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
function probe(shard: Shard, a: number, b: number, id: number): number {
  const { slots, capacity } = shard;
  // `b` picks the start slot (scaled to any capacity, not only powers of two); `a`'s top bits picked the shard.
  let slot = Math.floor((b / 0x1_0000_0000) * capacity);
  for (;;) {
    const at = slot * slotWords;
    const stored = slots[at + 2] as number;
    if (stored === 0) {
      slots[at] = a;
      slots[at + 1] = b;
      slots[at + 2] = id;
      return 0;
    }
    if (slots[at] === a && slots[at + 1] === b) return stored;
    slot = slot + 1 === capacity ? 0 : slot + 1;
  }
}

function grow(shard: Shard): void {
  const old = shard.slots;
  shard.capacity = Math.ceil(shard.capacity * 1.5);
  shard.slots = new Uint32Array(shard.capacity * slotWords);
  for (let at = 0; at < old.length; at += slotWords) {
    const id = old[at + 2] as number;
    if (id !== 0) probe(shard, old[at] as number, old[at + 1] as number, id);
  }
}
