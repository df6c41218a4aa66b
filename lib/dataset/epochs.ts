// OpenAI's default epochs, as its cookbook computes them ("Data preparation and analysis for
// chat model fine-tuning", examples/Chat_finetuning_data_prep.ipynb): 3 epochs, unless that
// trains on fewer than 100 or more than 25,000 examples in all. Integer division, as there.
const targetEpochs = 3;
const minTrainedExamples = 100;
const maxTrainedExamples = 25_000;
const minEpochs = 1;
const maxEpochs = 25;

/**
 * The epochs a fine-tuning job runs by default for `examples` training examples: 3, raised
 * toward 100 examples trained (100 ÷ examples, rounded down, at most 25) for small files,
 * lowered to stay under 25,000 (25,000 ÷ examples, rounded down, at least 1) for big ones.
 */
export function defaultEpochs(examples: number): number {
  if (examples * targetEpochs < minTrainedExamples) return Math.min(maxEpochs, Math.floor(minTrainedExamples / examples));
  if (examples * targetEpochs > maxTrainedExamples) return Math.max(minEpochs, Math.floor(maxTrainedExamples / examples));
  return targetEpochs;
}
