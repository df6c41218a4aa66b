import { ParameterValidators, sameJson } from '../../lib/dataset/parameters';
import { multiplyParameters } from '../helpers/training-lines';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const reordered = { required: ['a', 'b', 'result'], additionalProperties: false, properties: { result: { type: 'integer' }, b: { type: 'integer' }, a: { type: 'integer' } }, type: 'object' };

describe('compiled parameters schemas', () => {
  it('compile once per distinct schema, whichever line it comes from and in any key order', () => {
    const validators = new ParameterValidators();
    const first = validators.get('multiply', copy(multiplyParameters));
    expect(validators.get('multiply', copy(multiplyParameters))).toBe(first);
    expect(validators.get('multiply', reordered)).toBe(first);
    expect(validators.get('product', copy(multiplyParameters))).toBe(first);
  });

  it('keep one validator per schema when a name alternates between two, and each checks its own', () => {
    const validators = new ParameterValidators();
    const strings = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const integers = validators.get('f', copy(multiplyParameters));
    const texts = validators.get('f', copy(strings));
    expect(integers).not.toBe(texts);
    for (let i = 0; i < 3; i++) {
      expect(validators.get('f', copy(multiplyParameters))).toBe(integers);
      expect(validators.get('f', copy(strings))).toBe(texts);
    }
    if (!('validate' in integers) || !('validate' in texts)) throw new Error('both compile');
    expect(integers.validate({ a: 1, b: 2, result: 2 })).toBe(true);
    expect(texts.validate({ a: 1 })).toBe(false);
  });

  it('stay correct past the cache size: every schema still checks its own arguments', () => {
    const validators = new ParameterValidators();
    for (let n = 0; n < 600; n++) {
      const check = validators.get(`f${n % 7}`, { type: 'object', properties: { n: { const: n } }, required: ['n'] });
      if (!('validate' in check)) throw new Error('compiles');
      expect([check.validate({ n }), check.validate({ n: n + 1 })]).toEqual([true, false]);
    }
  });

  it('report a schema that does not compile instead of throwing', () => {
    expect(new ParameterValidators().get('f', { type: 'nope' })).toEqual({ problem: expect.stringContaining('schema is invalid') });
    expect(new ParameterValidators().get('f', { $ref: '#/nowhere' })).toEqual({ problem: expect.stringContaining("can't resolve reference") });
  });

  it('compare JSON by value, key order aside', () => {
    expect(sameJson(multiplyParameters, reordered)).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson(JSON.parse('{"__proto__": {}}'), { a: 1 })).toBe(false);
    expect(sameJson({ a: null }, { a: {} })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
