import fc from 'fast-check';
import { readSignature } from '../../lib/prompt/signature';

// Sources as Node prints them; `new Function` keeps them exactly as written, untouched by the compiler.
const fromSource = (source: string): ((...args: never[]) => unknown) => new Function(`return (${source});`)() as never;

describe('readSignature', () => {
  it.each<[string, string[], string | undefined]>([
    ['function multiply(a, b) { return a * b; }', ['a', 'b'], undefined],
    ['async function fetchAll(url, { retries = 3, headers } = {}) {}', ['url', '{ retries = 3, headers }'], undefined],
    ['function* gen(a, ...rest) {}', ['a'], 'rest'],
    ['(a, b) => a + b', ['a', 'b'], undefined],
    ['async (a, b = (1, 2)) => a', ['a', 'b'], undefined],
    ['x => x * 2', ['x'], undefined],
    ['async value => value', ['value'], undefined],
    ['async () => 1', [], undefined],
    ['(a = ")", b = \'(\', c = `,`) => 0', ['a', 'b', 'c'], undefined],
    ['(a /* the first, really */, b // second\n) => 0', ['a', 'b'], undefined],
    ['([first, second], { deep: { x } }) => 0', ['[first, second]', '{ deep: { x } }'], undefined],
    ['(a = "http://example.com", b) => 0', ['a', 'b'], undefined],
    ['(...args) => args', [], 'args'],
  ])('reads %s', (source, params, rest) => {
    expect(readSignature(fromSource(source))).toEqual({ params, rest });
  });

  it('reads a method shorthand', () => {
    const object = { async multiply(a: number, b: number) { return a * b; } };
    expect(readSignature(object.multiply)).toEqual({ params: ['a', 'b'], rest: undefined });
  });

  it('falls back to arg0..argN for native and bound functions, and records every argument of them', () => {
    expect(readSignature(Math.max)).toEqual({ params: Array.from({ length: Math.max.length }, (_, i) => `arg${i}`), rest: undefined, variadic: true });
    const bound = function pair(a: number, b: number, c: number) { return a + b + c; }.bind(null, 1);
    expect(readSignature(bound)).toEqual({ params: ['arg0', 'arg1'], rest: undefined, variadic: true });
  });

  it('records every argument of a function that reads `arguments`, but not for the word in a string', () => {
    expect(readSignature(fromSource('function memo() { return key(arguments); }'))).toEqual({ params: [], rest: undefined, variadic: true });
    expect(readSignature(fromSource('(a = "arguments") => a /* arguments */'))).toEqual({ params: ['a'], rest: undefined });
  });

  it('reads `async => 1` as one parameter named async', () => {
    expect(readSignature(fromSource('async => 1'))).toEqual({ params: ['async'], rest: undefined });
  });

  it('reads any list of identifiers with defaults back, in order', () => {
    const identifier = fc.stringMatching(/^[a-z_$][a-z0-9_$]{0,8}$/).filter((name) => !['do', 'if', 'in', 'for', 'let', 'new', 'try', 'var', 'case', 'else', 'enum', 'eval', 'null', 'this', 'true', 'void', 'with', 'await', 'break', 'catch', 'class', 'const', 'false', 'super', 'throw', 'while', 'yield', 'delete', 'export', 'import', 'public', 'return', 'static', 'switch', 'typeof', 'default', 'extends', 'finally', 'package', 'private', 'continue', 'debugger', 'function', 'arguments', 'interface', 'protected', 'implements', 'instanceof', 'async', 'of', 'let'].includes(name));
    const defaultValue = fc.oneof(fc.constant(''), fc.json().map((json) => ` = ${json}`), fc.string().map((text) => ` = ${JSON.stringify(text)}`));
    fc.assert(
      fc.property(fc.uniqueArray(identifier, { maxLength: 6 }), fc.array(defaultValue, { minLength: 6, maxLength: 6 }), fc.boolean(), (names, defaults, arrow) => {
        const list = names.map((name, i) => `${name}${defaults[i]}`).join(', ');
        const source = arrow ? `(${list}) => 0` : `function f(${list}) { return 0; }`;
        expect(readSignature(fromSource(source))).toEqual({ params: names, rest: undefined });
      }),
    );
  });
});
