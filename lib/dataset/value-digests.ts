import { canonicalJson } from './canonical.js';
import { hashBytes } from './hash.js';

/**
 * A 128-bit digest (the first half of SHA-256) of a value's canonical JSON: what `dedupe` and
 * `merge` keep per distinct example instead of the example itself. Two lines holding the same
 * JSON value (key order, spacing and number spelling aside) get the same digest; two different
 * values collide with probability about n²/2¹²⁹, never in practice for any dataset that fits on
 * a disk, so deduplication never drops a distinct example.
 */
export function valueDigest(value: unknown): Buffer {
  return hashBytes('sha256', canonicalJson(value));
}

/** Bytes each slot of a {@link ValueDigestSet} takes: one 128-bit digest. */
export const bytesPerSlot = 16;

const initialSlots = 1 << 12;
// Grow at 3/4 full: after doubling the table is 3/8 full, so a distinct line costs between
// 16 / 0.75 ≈ 21 and 16 / 0.375 ≈ 43 bytes, plus the old table while it is copied.
const maxLoad = 0.75;

/**
 * The distinct JSON values seen so far, as their {@link valueDigest}s: how `dedupe` and `merge`
 * find repeated examples (`validate` finds repeated lines with `LineDigestTable`, line-digests.ts).
 * 128-bit digests in one typed array (open addressing, linear probing): a fixed 16 bytes per slot
 * and no object per entry, so millions of lines cost tens of megabytes and the garbage collector
 * sees a single allocation. An all-zero digest marks an empty slot, so a digest that happens to be
 * zero is stored with one bit set (a 2⁻¹²⁸ chance, harmless).
 */
export class ValueDigestSet {
  #words = new Uint32Array(initialSlots * 4);
  #mask = initialSlots - 1;
  #size = 0;

  /** Distinct digests held. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of the table right now. */
  get bytes(): number {
    return this.#words.byteLength;
  }

  /** Adds the first 16 bytes of `digest`; false if they were already in the set. */
  add(digest: Uint8Array): boolean {
    const view = new DataView(digest.buffer, digest.byteOffset, 16);
    const a = view.getUint32(0, true);
    const b = view.getUint32(4, true);
    const c = view.getUint32(8, true);
    let d = view.getUint32(12, true);
    if ((a | b | c | d) === 0) d = 1;
    if (!this.#insert(a, b, c, d)) return false;
    if (++this.#size > (this.#mask + 1) * maxLoad) this.#grow();
    return true;
  }

  #insert(a: number, b: number, c: number, d: number): boolean {
    const words = this.#words;
    const mask = this.#mask;
    // The digest is uniformly random already: its first word is a good slot index as it is.
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 4;
      const a0 = words[at] as number;
      const b0 = words[at + 1] as number;
      const c0 = words[at + 2] as number;
      const d0 = words[at + 3] as number;
      if ((a0 | b0 | c0 | d0) === 0) {
        words[at] = a;
        words[at + 1] = b;
        words[at + 2] = c;
        words[at + 3] = d;
        return true;
      }
      if (a0 === a && b0 === b && c0 === c && d0 === d) return false;
    }
  }

  #grow(): void {
    const old = this.#words;
    this.#words = new Uint32Array(old.length * 2);
    this.#mask = old.length / 2 - 1;
    for (let at = 0; at < old.length; at += 4) {
      const a = old[at] as number;
      const b = old[at + 1] as number;
      const c = old[at + 2] as number;
      const d = old[at + 3] as number;
      if ((a | b | c | d) !== 0) this.#insert(a, b, c, d);
    }
  }
}
