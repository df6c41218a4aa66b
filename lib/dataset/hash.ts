import * as crypto from 'node:crypto';

/** The hash functions the dataset tools use: SHA-1 for line digests, SHA-256 for value digests. */
export type HashAlgorithm = 'sha1' | 'sha256';

// `crypto.hash` (Node 20.12+) hashes a string in one call, several times faster than a Hash
// object per line. It is looked up on the namespace, never imported by name: a named import of
// an export Node lacks (20.0 to 20.11 here, which `engines` allows) fails the whole package at
// load. Older releases get the same digests through `createHash`.
const oneShot = (crypto as Partial<Pick<typeof crypto, 'hash'>>).hash;

/** The digest of `text` (as UTF-8) in a Buffer. */
export const hashBytes: (algorithm: HashAlgorithm, text: string) => Buffer =
  oneShot === undefined ? (algorithm, text) => crypto.createHash(algorithm).update(text).digest() : (algorithm, text) => oneShot(algorithm, text, 'buffer');

/**
 * The digest of `text` (as UTF-8) as a latin1 string, one character per byte: the cheapest form
 * to read a few words from, with no Buffer allocated per call.
 */
export const hashLatin1: (algorithm: HashAlgorithm, text: string) => string =
  oneShot === undefined ? (algorithm, text) => crypto.createHash(algorithm).update(text).digest('binary') : (algorithm, text) => oneShot(algorithm, text, 'binary');
