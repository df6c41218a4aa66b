import { Type } from '@sinclair/typebox';

export const Multiply = Type.Object(
  { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
  { $id: 'Multiply', description: 'The product of two integers' },
);

export const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });
