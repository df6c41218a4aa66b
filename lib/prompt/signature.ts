/** The parameters a function declares, read from its source. */
export interface Signature {
  /** Parameter names (or destructuring patterns), defaults stripped, rest parameter excluded. */
  readonly params: readonly string[];
  /** Name of the rest parameter, if the function has one (`...rest`). */
  readonly rest: string | undefined;
  /**
   * Whether the function may read more arguments than it declares: its source uses `arguments`
   * or could not be read (native, bound). Then every argument is recorded, never fewer.
   */
  readonly variadic?: boolean;
}

// `async => 1` is an arrow with one parameter named async; `async x => 1` one named x.
const singleArrow = /^(?:async\s+(?!=>))?([A-Za-z_$][\w$]*)\s*=>/;

/**
 * Reads parameter names from `fn.toString()`. Native and bound functions do not show their
 * source, so they fall back to `arg0, arg1, ...` for `fn.length` parameters.
 */
export function readSignature(fn: (...args: never[]) => unknown): Signature {
  const source = Function.prototype.toString.call(fn).trimStart();
  const fallback: Signature = { params: Array.from({ length: fn.length }, (_, i) => `arg${i}`), rest: undefined, variadic: true };
  if (source.includes('[native code]') || source.startsWith('class')) return fallback;

  const arrow = singleArrow.exec(source);
  if (arrow?.[1] !== undefined) return { params: [arrow[1]], rest: undefined };

  const open = source.indexOf('(');
  if (open < 0) return fallback;
  const list = balanced(source, open);
  if (list === undefined) return fallback;

  const params: string[] = [];
  let rest: string | undefined;
  for (const raw of splitTopLevel(list, ',')) {
    const param = stripComments(raw).trim();
    if (param === '') continue;
    const name = (splitTopLevel(param, '=')[0] ?? param).trim();
    if (name.startsWith('...')) rest = name.slice(3).trim();
    else params.push(name);
  }
  return /\barguments\b/.test(codeOnly(source)) ? { params, rest, variadic: true } : { params, rest };
}

/** The source with strings, templates and comments blanked out. */
function codeOnly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const skip = skipLiteral(text, i);
    if (skip !== i) {
      out += ' ';
      i = skip - 1;
      continue;
    }
    out += text[i];
  }
  return out;
}

/** Text between the bracket at `open` and its match, skipping strings and comments. */
function balanced(source: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const skip = skipLiteral(source, i);
    if (skip !== i) {
      i = skip - 1;
      continue;
    }
    const c = source[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Splits on `separator` where it is not nested in brackets, strings or comments. */
function splitTopLevel(text: string, separator: ',' | '='): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const skip = skipLiteral(text, i);
    if (skip !== i) {
      i = skip - 1;
      continue;
    }
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === separator && !(separator === '=' && (text[i + 1] === '>' || text[i + 1] === '='))) {
      parts.push(text.slice(start, i));
      start = i + 1;
      if (separator === '=') break;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Index just past a string, template or comment starting at `i`, or `i` if none starts there. */
function skipLiteral(text: string, i: number): number {
  const c = text[i];
  if (c === '"' || c === "'" || c === '`') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === c) return j + 1;
    }
    return text.length;
  }
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return i;
}

function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const skip = skipLiteral(text, i);
    if (skip !== i) {
      if (text[i] !== '/') out += text.slice(i, skip);
      i = skip - 1;
      continue;
    }
    out += text[i];
  }
  return out;
}
