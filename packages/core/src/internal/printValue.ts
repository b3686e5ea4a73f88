const MAX_LENGTH = 500;

/**
 * A value as JSON for an error message, bounded: a value too deeply nested for
 * `JSON.stringify` (it throws a `RangeError`) or one that cannot be printed is named instead,
 * and a long text is cut at 500 characters.
 */
export const printValue = (value: unknown): string => {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return error instanceof RangeError ? '(a value nested too deeply to print)' : '(a value that cannot be printed as JSON)';
  }
  if (text === undefined) return String(value);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}… (${text.length} characters)` : text;
};
