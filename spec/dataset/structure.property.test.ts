import fc from 'fast-check';
import { datasetChecks, type CheckId } from '../../lib/dataset/checks';
import { IssueLog } from '../../lib/dataset/issues';
import { checkLine } from '../../lib/dataset/line-checks';
import { ParameterValidators } from '../../lib/dataset/parameters';
import { openApiValidator } from '../helpers/openapi';

const trainingLine = openApiValidator('openapi-2025-04.json', 'FineTuneChatRequestInput');
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// Arbitraries for everything FineTuneChatRequestInput (2025-04) allows, optional fields and
// unknown keys included: the published schema forbids no extra key anywhere.
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const known = new Set(['role', 'content', 'name', 'refusal', 'audio', 'tool_calls', 'function_call', 'weight', 'tool_call_id', 'messages', 'tools', 'functions', 'parallel_tool_calls', '__proto__']);
const extras = fc.dictionary(text.filter((key) => !known.has(key)), fc.jsonValue(), { maxKeys: 2 });
const withExtras = <T extends object>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.tuple(arbitrary, fc.oneof(fc.constant({}), extras)).map(([value, more]) => ({ ...more, ...value }));
const parts = <T>(part: fc.Arbitrary<T>) => fc.array(part, { minLength: 1, maxLength: 3 });

const textPart = fc.record({ type: fc.constant('text'), text });
const refusalPart = fc.record({ type: fc.constant('refusal'), refusal: text });
const imagePart = fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: fc.webUrl(), detail: fc.constantFrom('auto', 'low', 'high') }, { requiredKeys: ['url'] }) });
const audioPart = fc.record({ type: fc.constant('input_audio'), input_audio: fc.record({ data: fc.base64String(), format: fc.constantFrom('wav', 'mp3') }) });
const filePart = fc.record({ type: fc.constant('file'), file: fc.record({ filename: text, file_data: fc.base64String(), file_id: text }, { requiredKeys: [] }) });
const toolCall = withExtras(fc.record({ id: text, type: fc.constant('function'), function: fc.record({ name: text, arguments: fc.oneof(text, fc.jsonValue().map((value) => JSON.stringify(value))) }) }));
const schemaObject = fc.oneof(fc.constant({ type: 'object' }), fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }));

const message = fc.oneof(
  withExtras(fc.record({ role: fc.constant('system'), content: fc.oneof(text, parts(textPart)), name: text }, { requiredKeys: ['role', 'content'] })),
  withExtras(fc.record({ role: fc.constant('user'), content: fc.oneof(text, parts(fc.oneof(textPart, imagePart, audioPart, filePart))), name: text }, { requiredKeys: ['role', 'content'] })),
  withExtras(
    fc.record(
      {
        role: fc.constant('assistant'),
        content: fc.oneof(text, parts(fc.oneof(textPart, refusalPart)), fc.constant(null)),
        refusal: fc.oneof(text, fc.constant(null)),
        name: text,
        audio: fc.oneof(fc.constant(null), fc.record({ id: text })),
        tool_calls: fc.array(toolCall, { maxLength: 2 }),
        function_call: fc.oneof(fc.constant(null), fc.record({ name: text, arguments: text })),
        weight: fc.constantFrom(0, 1),
      },
      { requiredKeys: ['role'] },
    ),
  ),
  withExtras(fc.record({ role: fc.constant('tool'), content: fc.oneof(text, parts(textPart)), tool_call_id: text })),
  withExtras(fc.record({ role: fc.constant('function'), content: fc.oneof(text, fc.constant(null)), name: text })),
);
const tool = withExtras(fc.record({ type: fc.constant('function'), function: withExtras(fc.record({ name: text, description: text, parameters: schemaObject, strict: fc.oneof(fc.boolean(), fc.constant(null)) }, { requiredKeys: ['name'] })) }));
const fn = withExtras(fc.record({ name: text, description: text, parameters: schemaObject }, { requiredKeys: ['name'] }));
const line = withExtras(
  fc.record(
    {
      messages: fc.array(message, { minLength: 1, maxLength: 5 }),
      tools: fc.array(tool, { maxLength: 3 }),
      parallel_tool_calls: fc.boolean(),
      functions: fc.array(fn, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
);

const issuesOf = (value: Readonly<Record<string, unknown>>) => {
  const log = new IssueLog(100);
  checkLine(value, log, new ParameterValidators());
  return log.issues.map(({ check, message }) => ({ check: check as CheckId, message }));
};
const structuralFound = (value: Readonly<Record<string, unknown>>): string[] =>
  issuesOf(value)
    .filter(({ check }) => datasetChecks[check].kind === 'structural')
    .map(({ check, message }) => `${check}: ${message}`);

describe('structural checks and OpenAI\'s schema of a training line', () => {
  it('no line the schema accepts gets a structural error, nor an error for a key the schema lets through', () => {
    let unknownKeys = 0;
    fc.assert(
      fc.property(line.map(json), (value) => {
        expect(trainingLine(value)).toBe(true);
        const issues = issuesOf(value);
        if (issues.some(({ check }) => check === 'unknown_key')) unknownKeys++;
        // unknown_key is semantic, but it is about the shape of a line: held to the same rule.
        const schemaErrors = issues.filter(({ check }) => (datasetChecks[check].kind === 'structural' || check === 'unknown_key') && datasetChecks[check].severity === 'error');
        expect(schemaErrors.map(({ check, message }) => `${check}: ${message}`)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
    // The generated lines carry unknown keys often enough for the rule to mean something.
    expect(unknownKeys).toBeGreaterThan(100);
  });

  it('every line the schema rejects gets a structural error: the checks cover the whole schema', () => {
    // A valid line with one value somewhere replaced by any JSON value (or removed).
    const mutated = fc.tuple(line.map(json), fc.nat(), fc.oneof(fc.jsonValue(), fc.constant(undefined))).map(([value, pick, replacement]) => {
      const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
      const walk = (node: unknown): void => {
        if (typeof node !== 'object' || node === null) return;
        for (const [key, child] of Object.entries(node)) {
          paths.push([node as Record<string, unknown>, Array.isArray(node) ? Number(key) : key]);
          walk(child);
        }
      };
      walk(value);
      const target = paths[pick % Math.max(paths.length, 1)];
      if (target !== undefined) {
        const [parent, key] = target;
        if (replacement === undefined && !Array.isArray(parent)) delete parent[key as string];
        else (parent as Record<string | number, unknown>)[key] = replacement ?? null;
      }
      return json(value);
    });
    let rejected = 0;
    fc.assert(
      fc.property(mutated, (value) => {
        if (trainingLine(value)) return;
        rejected++;
        expect(structuralFound(value)).not.toEqual([]);
      }),
      { numRuns: 2000 },
    );
    expect(rejected).toBeGreaterThan(300);
  });

  it('the generated lines reach every role, content parts, calls and declarations', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(line.map(json), (value) => {
        for (const m of (value.messages ?? []) as Array<Record<string, unknown>>) {
          seen.add(String(m['role']));
          if (Array.isArray(m['content'])) seen.add('parts');
          if (Array.isArray(m['tool_calls']) && m['tool_calls'].length > 0) seen.add('tool_calls');
          if (m['function_call'] !== undefined && m['function_call'] !== null) seen.add('function_call');
        }
        if (value.tools !== undefined && value.tools.length > 0) seen.add('tools');
        if (value.functions !== undefined) seen.add('functions');
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['assistant', 'function', 'function_call', 'functions', 'parts', 'system', 'tool', 'tool_calls', 'tools', 'user']);
  });
});
