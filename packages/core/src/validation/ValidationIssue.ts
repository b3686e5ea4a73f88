/**
 * One reason an event failed validation.
 * @since 0.1.0
 * @category validation
 */
export interface ValidationIssue {
  /** Where, e.g. `payload.items.0.qty`. */
  path: string;
  /** The expected type, by its io-ts name. */
  expected: string;
  /** What was there instead. */
  received: unknown;
}
