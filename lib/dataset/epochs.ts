// OpenAI's default epochs: 3, unless that trains on fewer than 100 or more than 25,000 examples
// in all. The cookbook ("Data preparation and analysis for chat model fine-tuning") rounds both
// adjustments down, so 33 examples would train 3 epochs, 99 examples in all; we raise until the
// job reaches 100 (33 examples train 4), and lower only as far as it stays within 25,000.
const targetEpochs = 3;
const minTrainedExamples = 100;
const maxTrainedExamples = 25_000;
const minEpochs = 1;
const maxEpochs = 25;

/**
 * The epochs a fine-tuning job runs by default for `examples` training examples: 3, raised so
 * that examples x epochs reaches 100 (at most 25) for small files, lowered so that it stays
 * within 25,000 (at least 1) for big ones.
 */
export function defaultEpochs(examples: number): number {
  if (examples * targetEpochs < minTrainedExamples) return Math.min(maxEpochs, Math.ceil(minTrainedExamples / examples));
  if (examples * targetEpochs > maxTrainedExamples) return Math.max(minEpochs, Math.floor(maxTrainedExamples / examples));
  return targetEpochs;
}
