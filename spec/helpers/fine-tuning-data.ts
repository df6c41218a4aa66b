import { writeFileSync } from 'node:fs';

/** `n` chat training lines in OpenAI's format, as distil() writes them (multiplications). */
export function trainingLines(n: number, seed = 1): string[] {
  return Array.from({ length: n }, (_, i) => {
    const a = 100 + ((i * 37 + seed * 11) % 900);
    const b = 100 + ((i * 53 + seed * 7) % 900);
    return JSON.stringify({
      messages: [
        { role: 'system', content: 'You compute three_digit_multiply(a, b) and answer with JSON {"result": integer}.' },
        { role: 'user', content: `Return three_digit_multiply(${a}, ${b})` },
        { role: 'assistant', content: JSON.stringify({ result: a * b }) },
      ],
    });
  });
}

/** Writes a valid training file of `n` examples and returns its path. */
export function writeTrainingFile(path: string, n = 12, seed = 1): string {
  writeFileSync(path, `${trainingLines(n, seed).join('\n')}\n`);
  return path;
}
