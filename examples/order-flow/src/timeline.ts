import { createContextToken } from '@tributary/core';

/** Prints what happens, with the time since start, and keeps it for tests. */
export interface Timeline {
  record(service: string, what: string): void;
  readonly entries: ReadonlyArray<{ at: number; service: string; what: string }>;
}

export const TimelineToken = createContextToken<Timeline>('Timeline');

export const createTimeline = (print = true): Timeline => {
  const started = Date.now();
  const entries: Array<{ at: number; service: string; what: string }> = [];
  return {
    entries,
    record(service, what) {
      const entry = { at: Date.now() - started, service, what };
      entries.push(entry);
      if (print) console.log(`${String(entry.at).padStart(5)} ms  ${service.padEnd(13)} ${what}`);
    },
  };
};
