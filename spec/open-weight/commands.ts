// The commands of docs/open-weight.md that the open-weight suite runs, for a dataset named by its
// stem (the doc's is `math`, the suite's `sentiment`). spec/docs/open-weight.test.ts checks that
// the doc shows exactly these, so the doc's data path and the suite's cannot drift apart.

/** The captured file, as `npm run demo` names it for `math`. */
export const capturedFile = (stem: string): string => `${stem}_finetunes.jsonl`;

/** Section 2: `fn-distil` arguments that check, dedupe, split and export the captured file, in order. */
export function datasetCommands(stem: string): string[][] {
  return [
    ['dataset', 'validate', capturedFile(stem)],
    ['dataset', 'dedupe', capturedFile(stem), '-o', `${stem}.deduped.jsonl`],
    ['dataset', 'split', `${stem}.deduped.jsonl`, '--val', '0.2', '--seed', '1', '--train-output', `${stem}.train.jsonl`, '--val-output', `${stem}.val.jsonl`],
    ['dataset', 'convert', `${stem}.train.jsonl`, '--to', 'prompt-completion', '-o', `${stem}_pc.train.jsonl`],
    ['dataset', 'convert', `${stem}.val.jsonl`, '--to', 'prompt-completion', '-o', `${stem}_pc.val.jsonl`],
  ];
}

/** Section 3: train_trl.py's arguments (paths relative to the dataset's folder); the suite adds its own tuning flags. */
export function trainCommand(stem: string, model: string): string[] {
  return ['--model', model, '--train', `${stem}_pc.train.jsonl`, '--val', `${stem}_pc.val.jsonl`, '--out', `${stem}-model`];
}

/** Section 5: `fn-distil eval` against llama-server. */
export function evalCommand(stem: string, baseURL: string, model: string): string[] {
  return ['eval', '--base-url', baseURL, '--server', 'llama.cpp', '--model', model, '--dataset', `${stem}.val.jsonl`];
}
