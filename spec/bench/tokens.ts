// Prompt tokens of one swapped call of the demo function, with and without `omitSchema`: the
// requests are built by the code swap() sends them with, for the demo's own options.
import { countExampleTokens, loadTokenCounter } from '../../lib/dataset/tokens';
import { prepare } from '../../lib/distil/prepare';
import { serializeCall } from '../../lib/prompt/call';
import { serverProfiles } from '../../lib/servers/index';
import { chatRequest, promptMessages } from '../../lib/swap/request';
import { swapDefaults } from '../../lib/swap/options';
import { Multiply } from './capture';

// docs/examples/demo.ts's function and schema (it runs on import, so it is not imported), in format
// 'messages', where omitSchema saves the most: 'json' keeps the schema in its system prompt.
const demo = (a: number, b: number) => ({ a, b, result: a * b });
const demoOptions = { name: 'three_digit_multiply', format: 'messages' } as const;

/** The chat requests swap() sends for the demo call three_digit_multiply(133, 539), both ways. */
export function demoRequests(): { full: ReturnType<typeof chatRequest>; omitted: ReturnType<typeof chatRequest> } {
  const { spec, signature } = prepare(demo, Multiply, demoOptions);
  const call = serializeCall(spec, signature, [133, 539]);
  if ('problem' in call) throw new Error(call.problem);
  const messages = promptMessages(spec, call.user);
  const build = (omitSchema: boolean) => chatRequest(spec, 'ft:gpt-4o-mini-2024-07-18:acme::abc123', messages, { server: serverProfiles.openai, omitSchema, temperature: swapDefaults.temperature, maxTokens: swapDefaults.maxTokens });
  return { full: build(false), omitted: build(true) };
}

/** Tokens (o200k, OpenAI's counting) of the demo request's messages and declared function, and its body's bytes, both ways. */
export async function omitSchemaSaving(): Promise<{ full: number; omitted: number; fullBytes: number; omittedBytes: number }> {
  const count = await loadTokenCounter('o200k_base');
  const { full, omitted } = demoRequests();
  const bytes = (body: object): number => Buffer.byteLength(JSON.stringify(body));
  return {
    full: countExampleTokens(full, count).total,
    omitted: countExampleTokens(omitted, count).total,
    fullBytes: bytes(full),
    omittedBytes: bytes(omitted),
  };
}
