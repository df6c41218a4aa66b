// A function a tiny model learns in minutes: a keyword sentiment classifier. Its reviews are
// generated deterministically, so the captured dataset (and the trained model's cache key) is
// the same on every machine.
import { Type, type Static } from '@sinclair/typebox';
import winston from 'winston';
import { distil } from 'fn-distil';

export const Sentiment = Type.Object(
  {
    sentiment: Type.Union([Type.Literal('positive'), Type.Literal('negative'), Type.Literal('neutral')]),
    keyword: Type.String(),
  },
  { $id: 'Sentiment', description: 'The sentiment of a review and the word that decided it' },
);

const positive = ['great', 'excellent', 'lovely', 'wonderful', 'superb', 'delightful', 'perfect', 'friendly'];
const negative = ['awful', 'terrible', 'bland', 'rude', 'broken', 'dreadful', 'noisy', 'dirty'];
const neutral = ['blue', 'round', 'wooden', 'square', 'tall', 'red', 'plain', 'usual'];
const subjects = ['pizza', 'hotel', 'movie', 'service', 'camera', 'book', 'concert', 'phone', 'coffee', 'room'];
const tails = ['', ' and we left early', ' as expected', ' on Monday', ' this time', ' again'];

/** The classifier: the first sentiment keyword decides; none means neutral. */
export function sentiment(review: string): Static<typeof Sentiment> {
  const words = review.toLowerCase().match(/[a-z]+/g) ?? [];
  const keyword = words.find((word) => positive.includes(word) || negative.includes(word));
  if (keyword === undefined) return { sentiment: 'neutral', keyword: 'none' };
  return { sentiment: positive.includes(keyword) ? 'positive' : 'negative', keyword };
}

/** Every review the generator can write, in a fixed order shuffled by a seeded PRNG (mulberry32). */
export function reviews(count: number, seed = 1): string[] {
  const all = subjects.flatMap((subject) =>
    [...positive, ...negative, ...neutral].flatMap((word) => tails.map((tail) => `The ${subject} was ${word}${tail}.`)),
  );
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as string, all[i] as string];
  }
  return all.slice(0, count);
}

/** The classifier wrapped by distil(): every call becomes a `'json'` line in `filename`. */
export function distilledSentiment(filename: string) {
  return distil(sentiment, Sentiment, {
    name: 'sentiment',
    format: 'json',
    transports: [new winston.transports.File({ filename, options: { flags: 'w' } })],
  });
}

/** Calls the distilled classifier on the first `count` reviews, capturing them to `filename`. */
export async function captureSentiment(filename: string, count: number): Promise<void> {
  const classify = distilledSentiment(filename);
  for (const review of reviews(count)) classify(review);
  await classify.close();
}
