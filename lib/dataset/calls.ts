import type { IssueSink } from './issues.js';
import type { ParameterValidators } from './parameters.js';
import { describe, isObject, typeIsNotFunction } from './values.js';

type Json = Record<string, unknown>;
type Declaration = { readonly name: unknown; readonly parameters?: unknown };

const maxFunctions = 128;

/** Structural checks of `tools`: a list of `{ type: "function", function: { name, ... } }`. */
export function checkTools(tools: unknown, log: IssueSink): void {
  if (!Array.isArray(tools)) return log.add('invalid_tools', `"tools" is ${describe(tools)}, not a list of tools.`);
  for (let j = 0; j < tools.length; j++) {
    const tool: unknown = tools[j];
    const problem = !isObject(tool)
      ? `is ${describe(tool)}, not a tool`
      : tool['type'] !== 'function'
        ? typeIsNotFunction(tool['type'])
        : !isObject(tool['function'])
          ? 'has no "function" object'
          : declarationProblem(tool['function'], true);
    if (problem !== undefined) log.add('invalid_tools', `tools[${j}] ${problem}.`);
  }
}

/** Structural checks of the deprecated `functions`: 1 to 128 `{ name, description?, parameters? }`. */
export function checkFunctions(functions: unknown, log: IssueSink): void {
  if (!Array.isArray(functions) || functions.length === 0 || functions.length > maxFunctions) {
    return log.add('invalid_functions', `"functions" is ${Array.isArray(functions) ? `a list of ${functions.length}` : describe(functions)}; it must be a list of 1 to ${maxFunctions} functions.`);
  }
  for (let j = 0; j < functions.length; j++) {
    const fn: unknown = functions[j];
    const problem = isObject(fn) ? declarationProblem(fn, false) : `is ${describe(fn)}, not a function`;
    if (problem !== undefined) log.add('invalid_functions', `functions[${j}] ${problem}.`);
  }
}

function declarationProblem(fn: Json, isTool: boolean): string | undefined {
  const where = isTool ? '.function' : '';
  if (typeof fn['name'] !== 'string') return `${where} has no string "name"`;
  if (fn['description'] !== undefined && typeof fn['description'] !== 'string') return `${where}.description is ${describe(fn['description'])}, not a string`;
  if (fn['parameters'] !== undefined && !isObject(fn['parameters'])) return `${where}.parameters is ${describe(fn['parameters'])}, not a JSON Schema object`;
  const strict = fn['strict'];
  if (isTool && strict !== undefined && strict !== null && typeof strict !== 'boolean') return `${where}.strict is ${describe(strict)}, not true or false`;
  return undefined;
}

/** Where a call is in a line: `messages[i].tool_calls[j].function`, or `messages[i].function_call` when `j` is -1. */
export function callPath(i: number, j: number): string {
  return j === -1 ? `messages[${i}].function_call` : `messages[${i}].tool_calls[${j}].function`;
}

/**
 * Semantic checks of one call (message `i`, tool call `j`, or -1 for a `function_call`): the
 * function is declared in the line's `tools` (tool calls) or `functions` (function_call), and
 * its arguments are JSON that the declared `parameters` schema accepts (an object, when the
 * function declares no parameters). Paths are built only for a message: this runs per line.
 */
export function checkCall(name: string, args: string, line: Json, i: number, j: number, log: IssueSink, validators: ParameterValidators): void {
  const declaredIn = j === -1 ? 'functions' : 'tools';
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch (error) {
    log.add('invalid_arguments', `${callPath(i, j)}.arguments is not valid JSON (${(error as Error).message}).`);
    parsed = undefined;
  }
  const declared = findDeclaration(line[declaredIn], declaredIn, name);
  if (declared === undefined) {
    log.add('undeclared_function', `${callPath(i, j)} calls ${JSON.stringify(name)}, which the line does not declare in "${declaredIn}"${declaredNames(line[declaredIn], declaredIn)}.`);
    return;
  }
  if (parsed === undefined) return;
  const parameters = declared.parameters;
  if (parameters === undefined) {
    if (!isObject(parsed)) log.add('arguments_mismatch', `${callPath(i, j)}.arguments is ${describe(parsed)}; arguments are a JSON object.`);
    return;
  }
  if (!isObject(parameters)) return;
  const check = validators.get(name, parameters);
  if ('problem' in check) {
    log.add('invalid_parameters', `the parameters of ${JSON.stringify(name)} are not a JSON Schema that compiles (${check.problem}), so its arguments cannot be checked.`);
    return;
  }
  if (!check.validate(parsed)) {
    const error = check.validate.errors?.[0];
    const detail = error === undefined ? 'rejected' : `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? error.keyword}`;
    log.add('arguments_mismatch', `${callPath(i, j)}.arguments does not match the parameters of ${JSON.stringify(name)}: ${detail}.`);
  }
}

function findDeclaration(list: unknown, declaredIn: 'tools' | 'functions', name: string): Declaration | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    const fn = declaredIn === 'tools' ? (isObject(entry) ? entry['function'] : undefined) : entry;
    if (isObject(fn) && fn['name'] === name) return fn as Declaration;
  }
  return undefined;
}

function declaredNames(list: unknown, declaredIn: 'tools' | 'functions'): string {
  if (!Array.isArray(list)) return '';
  const names = (list as unknown[]).map((entry) => (declaredIn === 'tools' && isObject(entry) ? entry['function'] : entry)).filter(isObject).map((fn) => String(fn['name']));
  return names.length === 0 ? '' : ` (it declares ${names.join(', ')})`;
}
