import { isDeepStrictEqual } from 'node:util';

/** Compares two outputs as JSON values: exactly, and field by field for objects. */
export function compareOutputs(original: unknown, model: unknown): { exact: boolean; fields: Record<string, boolean> } {
  const [a, b] = [json(original), json(model)];
  const fields: Record<string, boolean> = {};
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) fields[key] = isDeepStrictEqual(a[key], b[key]);
  }
  return { exact: isDeepStrictEqual(a, b), fields };
}

// Compare what JSON carries: the model can only answer in JSON, so a Date and its ISO string agree.
function json(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
