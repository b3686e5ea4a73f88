import { deepStrictEqual } from 'node:assert';

interface ExpectLike {
  (actual: unknown): { toEqual(expected: unknown): void };
}

/** Drops `undefined` properties, as `toEqual` does, so that `{ a: undefined }` equals `{}`. */
const withoutUndefined = (value: unknown, seen = new WeakMap<object, unknown>()): unknown => {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(withoutUndefined(item, seen));
    return copy;
  }
  const copy: Record<string | symbol, unknown> = Object.create(Object.getPrototypeOf(value));
  seen.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    const item = (value as Record<string | symbol, unknown>)[key];
    if (item !== undefined) copy[key] = withoutUndefined(item, seen);
  }
  return copy;
};

/**
 * Deep equality for marble frames. Under jest (or any runner with a global `expect`) it is
 * `expect(actual).toEqual(expected)`, so asymmetric matchers such as `expect.any(String)`
 * work and failures print the runner's diff; elsewhere it is `node:assert`'s
 * `deepStrictEqual`, ignoring `undefined` properties as `toEqual` does.
 */
export const assertEqual = (actual: unknown, expected: unknown): void => {
  const expect = (globalThis as { expect?: ExpectLike }).expect;
  if (typeof expect === 'function') {
    expect(actual).toEqual(expected);
    return;
  }
  deepStrictEqual(withoutUndefined(actual), withoutUndefined(expected));
};
