// Prompt tokens of one swapped call of the demo function, with and without `omitSchema`.
import { countExampleTokens, loadTokenCounter } from '../../lib/dataset/tokens';
import { Multiply } from './capture';

const parameters = JSON.parse(JSON.stringify(Multiply)) as Record<string, unknown>;
delete parameters['$id'];
const messages = [
  { role: 'system', content: 'Predict the results of this function:\n\nthree_digit_multiply(a, b)' },
  { role: 'user', content: 'Return three_digit_multiply(133, 539)' },
];

/** Tokens (o200k, OpenAI's counting) of the demo request's messages and declared tool, both ways. */
export async function omitSchemaSaving(): Promise<{ full: number; omitted: number }> {
  const count = await loadTokenCounter('o200k_base');
  const full = countExampleTokens({ messages, tools: [{ type: 'function', function: { name: 'Multiply', description: 'The product of two integers', parameters } }] }, count).total;
  const omitted = countExampleTokens({ messages, tools: [{ type: 'function', function: { name: 'Multiply' } }] }, count).total;
  return { full, omitted };
}
