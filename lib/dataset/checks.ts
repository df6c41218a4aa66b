/**
 * Structural checks find what OpenAI's published schema of a training line
 * (`FineTuneChatRequestInput`) rejects: a line they flag is never one the schema accepts.
 * Semantic checks find what the schema lets through but a fine-tuning job refuses, truncates or
 * learns wrong from: undeclared functions, arguments that miss their schema, too many tokens,
 * too few examples, duplicates.
 */
export type CheckKind = 'structural' | 'semantic';

/** Errors make a file unusable for fine-tuning; warnings are worth a look but do not stop a job. */
export type CheckSeverity = 'error' | 'warning';

export interface CheckInfo {
  readonly kind: CheckKind;
  readonly severity: CheckSeverity;
  /** What the check finds, for `--help`-style listings and the docs. */
  readonly description: string;
}

/**
 * Every check `validateDataset` runs, by the stable id its issues carry. The one list the code,
 * the docs (docs/cli.md) and the tests share.
 */
export const datasetChecks = {
  invalid_json: { kind: 'structural', severity: 'error', description: 'the line is not valid JSON' },
  not_an_object: { kind: 'structural', severity: 'error', description: 'the line is JSON but not an object' },
  invalid_messages: { kind: 'structural', severity: 'error', description: '`messages` is not a non-empty array' },
  invalid_message: { kind: 'structural', severity: 'error', description: 'a message is not an object' },
  invalid_role: { kind: 'structural', severity: 'error', description: 'a role is missing or not system, user, assistant, tool or function' },
  invalid_content: { kind: 'structural', severity: 'error', description: '`content` is missing where its role needs it, or not a string or content parts that role allows' },
  invalid_field: { kind: 'structural', severity: 'error', description: '`name`, `tool_call_id`, `refusal`, `audio` or `parallel_tool_calls` has the wrong type' },
  invalid_weight: { kind: 'structural', severity: 'error', description: '`weight` is not 0 or 1' },
  invalid_tool_call: { kind: 'structural', severity: 'error', description: 'a tool call lacks a string `id`, `type: "function"`, or a function with string `name` and `arguments`' },
  invalid_function_call: { kind: 'structural', severity: 'error', description: '`function_call` lacks a string `name` and `arguments`' },
  invalid_tools: { kind: 'structural', severity: 'error', description: '`tools` is not a list of `{ type: "function", function: { name, description?, parameters?, strict? } }`' },
  invalid_functions: { kind: 'structural', severity: 'error', description: '`functions` is not a list of 1 to 128 `{ name, description?, parameters? }`' },
  missing_messages: { kind: 'semantic', severity: 'error', description: 'the line has no `messages`' },
  no_assistant_message: { kind: 'semantic', severity: 'error', description: 'no assistant message: nothing to learn' },
  missing_content: { kind: 'semantic', severity: 'error', description: 'an assistant message has no content, tool call or function call' },
  undeclared_function: { kind: 'semantic', severity: 'error', description: 'a call names a function the line does not declare in `tools` / `functions`' },
  invalid_arguments: { kind: 'semantic', severity: 'error', description: 'a call\'s `arguments` is not valid JSON' },
  arguments_mismatch: { kind: 'semantic', severity: 'error', description: 'a call\'s `arguments` does not match the declared function\'s `parameters` schema' },
  invalid_parameters: { kind: 'semantic', severity: 'error', description: 'a declared function\'s `parameters`, or the JSON Schema a system prompt gives the answer, is not a JSON Schema that compiles' },
  invalid_answer: { kind: 'semantic', severity: 'error', description: 'the answer is not valid JSON, though the system prompt declares a JSON Schema for it (the `json` format)' },
  answer_mismatch: { kind: 'semantic', severity: 'error', description: 'the answer does not match the JSON Schema its system prompt declares (the `json` format)' },
  too_many_tokens: { kind: 'semantic', severity: 'error', description: 'the example has more tokens than the target model trains on; it would be truncated' },
  line_too_long: { kind: 'semantic', severity: 'error', description: 'the line is longer than fn-distil can read (about 512 MB, what a JavaScript string holds): over every token limit' },
  too_few_examples: { kind: 'semantic', severity: 'error', description: "the file has fewer examples than the minimum (OpenAI's is 10 per training file)" },
  duplicate_example: { kind: 'semantic', severity: 'warning', description: 'the line repeats an earlier line of the files checked' },
  no_system_message: { kind: 'semantic', severity: 'warning', description: 'the example has no system message' },
  no_user_message: { kind: 'semantic', severity: 'warning', description: 'the example has no user message' },
  unknown_key: { kind: 'semantic', severity: 'warning', description: "a message has a key that is not part of the chat format for its role: OpenAI's schema lets it through, but its data check may refuse it and other trainers ignore it" },
  unknown_line_key: { kind: 'semantic', severity: 'warning', description: 'the line has a key besides messages, tools, parallel_tool_calls and functions' },
  prompt_completion: { kind: 'semantic', severity: 'warning', description: "the file holds TRL prompt-completion lines: checked as their messages, but OpenAI's fine-tuning does not read them" },
  blank_line: { kind: 'semantic', severity: 'warning', description: 'a blank line (empty, or only spaces, tabs and CRs), skipped here; remove it before uploading' },
  byte_order_mark: { kind: 'semantic', severity: 'warning', description: 'the file starts with a byte order mark, skipped here; save the file as UTF-8 without BOM' },
} as const satisfies Readonly<Record<string, CheckInfo>>;

/**
 * The stable id of a check of `validateDataset`, e.g. `invalid_json` or `duplicate_example`: the
 * `check` of each issue and the keys of `DatasetReport.counts` (every check is listed in
 * docs/cli.md).
 *
 * @example
 * ```ts
 * const report = await validateDataset(['train.jsonl']);
 * const duplicates = report.counts['duplicate_example' satisfies CheckId] ?? 0;
 * ```
 */
export type CheckId = keyof typeof datasetChecks;
