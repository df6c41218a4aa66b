/**
 * The class names along a value's prototype chain. openai's error classes all have `name`
 * 'Error', so this is how they are told apart, also across duplicate installs of the client.
 */
export function classNames(value: unknown): Set<string> {
  const names = new Set<string>();
  for (let proto: unknown = value; proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}
