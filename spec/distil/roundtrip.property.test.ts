import { Type, type Static } from '@sinclair/typebox';
import fc from 'fast-check';
import Transport from 'winston-transport';
import { distil, type ExampleFormat } from 'fn-distil';
import { openApiValidator } from '../helpers/openapi';

const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const Result = Type.Object(
  { id: Type.String(), n: Type.Number(), flags: Type.Array(Type.Boolean()), payload: Type.Unknown() },
  { $id: 'Result' },
);
const output = fc.record({
  id: fc.string({ unit: 'binary' }),
  n: fc.double({ noNaN: true, noDefaultInfinity: true }),
  flags: fc.array(fc.boolean()),
  payload: fc.jsonValue(),
});
const args = fc.array(fc.jsonValue(), { maxLength: 5 });
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A real winston transport that keeps the lines it is given. */
class Lines extends Transport {
  readonly lines: string[] = [];
  override log(info: Record<symbol, string>, next: () => void): void {
    this.lines.push(...info[Symbol.for('message')]!.split('\n'));
    next();
  }
}

type Line = Record<string, any>;
const readBack: Record<ExampleFormat, (line: Line) => { args: unknown[]; output: unknown }> = {
  messages: (line) => ({ args: userArgs(line), output: JSON.parse(line.messages[2].function_call.arguments) }),
  tools: (line) => ({ args: userArgs(line), output: JSON.parse(line.messages[2].tool_calls[0].function.arguments) }),
  json: (line) => ({ args: userArgs(line), output: JSON.parse(line.messages[2].content) }),
  raw: (line) => ({ args: line.args, output: line.resp }),
};
function userArgs(line: Line): unknown[] {
  const content = line.messages[1].content as string;
  expect(content.startsWith('Return echo(') && content.endsWith(')')).toBe(true);
  return JSON.parse(`[${content.slice('Return echo('.length, -1)}]`) as unknown[];
}

describe.each(['messages', 'tools', 'json', 'raw'] as const)('format %s', (format) => {
  it('round-trips arbitrary JSON arguments and any valid output through one line', async () => {
    const sink = new Lines();
    let next: unknown;
    const echo = distil((..._args: unknown[]) => next as Static<typeof Result>, Result, { name: 'echo', format, transports: [sink] });
    await fc.assert(
      fc.asyncProperty(args, output, async (callArgs, callOutput) => {
        next = callOutput;
        expect(echo(...callArgs)).toBe(callOutput);
        await echo.flush();
        const text = sink.lines.pop()!;
        expect(text).not.toContain('\n');
        const line = JSON.parse(text) as Line;
        expect(readBack[format](line)).toEqual({ args: json(callArgs), output: json(callOutput) });
        if (format !== 'raw') expect(trainingLine(line)).toBe(true);
      }),
      { numRuns: 150 },
    );
    await echo.close();
  });
});
