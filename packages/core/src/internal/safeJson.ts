/**
 * `JSON.stringify` that never throws, for log records: a `bigint` becomes its decimal text, a
 * repeated object (a cycle) `"[Circular]"`, and a value that still cannot be written (a
 * throwing `toJSON` or getter) the text of the error.
 */
export const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    const seen = new WeakSet<object>();
    try {
      return (
        JSON.stringify(value, (_key, item: unknown) => {
          if (typeof item === 'bigint') return item.toString();
          if (item !== null && typeof item === 'object') {
            if (seen.has(item)) return '[Circular]';
            seen.add(item);
          }
          return item;
        }) ?? 'undefined'
      );
    } catch (error) {
      return JSON.stringify(`[unserializable: ${(error as Error)?.message ?? String(error)}]`);
    }
  }
};
