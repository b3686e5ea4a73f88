import * as t from 'io-ts';
import type { ValidationIssue } from '../validation/ValidationIssue';

/** `undefined` does not survive JSON, so issues carry the string `'undefined'` instead. */
const describeValue = (value: unknown): unknown => (value === undefined ? 'undefined' : value);

const isComposite = (type: t.Decoder<any, any> | undefined): boolean =>
  type instanceof t.IntersectionType || type instanceof t.UnionType;

/** The issues of a failed decode, with paths under `prefix`, and a one-line summary of them. */
export const describeIssues = (errors: t.Errors, prefix: string): { issues: ValidationIssue[]; summary: string } => {
  const issues = errors.map(error => {
    // members of an intersection or a union are not a level of the path: skip their index
    const keys = error.context
      .filter((entry, i) => entry.key !== '' && !isComposite(error.context[i - 1]?.type))
      .map(entry => entry.key);
    const last = error.context[error.context.length - 1];
    return {
      path: [prefix, ...keys].filter(Boolean).join('.') || '(root)',
      expected: last?.type.name ?? 'unknown',
      received: describeValue(error.value),
    };
  });
  const summary = issues
    .map((issue, i) => {
      const received = errors[i]!.value === undefined ? 'undefined' : JSON.stringify(issue.received);
      return `${issue.path}: expected ${issue.expected}, received ${received}`;
    })
    .join('; ');
  return { issues, summary };
};
