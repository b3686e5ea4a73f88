/** Resolves after `ms` (only for what cannot be awaited: proving that something does NOT happen). */
export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Polls `predicate` every 20 ms until it holds; rejects after `timeout` ms with `what` and,
 * when given, the state `describe()` reports.
 */
export const waitFor = async (
  predicate: () => boolean | Promise<boolean>,
  timeout: number,
  what: string,
  describe?: () => unknown,
): Promise<void> => {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) {
      const state = describe ? ` (state: ${JSON.stringify(describe())})` : '';
      throw new Error(`conformance: timed out after ${timeout} ms waiting for ${what}${state}`);
    }
    await sleep(20);
  }
};
