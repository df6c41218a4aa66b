import type { TSchema } from '@sinclair/typebox';
import { ConfigurationError } from '../errors.js';

/** OpenAI's rule for function and tool names. */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The function/tool name for a schema: the `toolName` option, else the first of the schema's
 * `$id` and `title` that is a valid name. Thrown when wrapping, so a bad name never reaches a call.
 */
export function resolveToolName(schema: TSchema, option: string | undefined): string {
  if (option !== undefined) {
    if (!toolNamePattern.test(option)) {
      throw new ConfigurationError(
        'toolName',
        `\`toolName\` ${JSON.stringify(option)} is not a valid function name: use 1 to 64 letters, digits, _ or -.`,
      );
    }
    return option;
  }
  const candidates = [schema.$id, schema.title].filter((value): value is string => typeof value === 'string');
  const valid = candidates.find((candidate) => toolNamePattern.test(candidate));
  if (valid !== undefined) return valid;
  const seen = candidates.length === 0 ? 'it has neither' : `${candidates.map((c) => JSON.stringify(c)).join(' and ')} are not valid names`;
  throw new ConfigurationError(
    'toolName',
    `The schema needs a name for the function call, from its \`$id\` or \`title\` (${seen}). ` +
      'Give the schema `$id: "Multiply"`, or pass `toolName`; names are 1 to 64 letters, digits, _ or -.',
  );
}
