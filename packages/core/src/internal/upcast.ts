import * as t from 'io-ts';
import { CoreError } from '../error/CoreError';
import { encodeError } from '../error/encodeError';
import { EventError } from '../error/EventError';
import type { Event } from '../event/event.interface';
import type { Upcaster } from '../event/eventOptions';
import { describeIssues } from './validationIssues';

/** The versioning of a codec: its version and its upcasters by the version they read. */
export interface Versioning {
  version: number;
  upcasters: Readonly<Record<number, Upcaster>>;
}

const UNVERSIONED: Versioning = { version: 1, upcasters: {} };

/** The versioning of any codec: that of an `event()` codec, or version 1 without upcasters. */
export const versioningOf = (codec: unknown): Versioning => {
  const { version, upcasters } = (codec ?? {}) as Partial<Versioning>;
  return typeof version === 'number' && upcasters ? { version, upcasters } : UNVERSIONED;
};

const isVersion = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** Checks the options of `event(type, options)`; throws a `CoreError` saying what to fix. */
export const checkVersioning = (type: string, version: unknown, upcasters: Record<string, unknown>): Versioning => {
  const label = `event('${type}', { version: ${String(version)} })`;
  const fail = (message: string) => new CoreError(`${label}: ${message}`, { context: 'core.event' });
  if (!isVersion(version)) throw fail('version must be a whole number from 1 up.');
  const steps = Object.keys(upcasters).map(Number);
  for (const [key, up] of Object.entries(upcasters)) {
    const step = Number(key);
    if (!isVersion(step) || step >= version) {
      throw fail(`upcasters[${key}] is not a step below version ${version}: upcasters[n] turns a version n payload into version n + 1, for n from 1 to ${version - 1}.`);
    }
    if (typeof up !== 'function') throw fail(`upcasters[${key}] must be a function (payload of version ${key}) => payload of version ${step + 1}.`);
  }
  if (steps.length > 0) {
    for (let step = 1; step < version; step++) {
      if (!(step in upcasters)) {
        throw fail(
          `no upcaster from version ${step} to ${step + 1}. Declare one for every version from 1 to ${version - 1} ` +
            `(upcasters: { ${step}: v${step} => v${step + 1}, ... }), or none to read version ${version} only.`,
        );
      }
    }
  }
  return { version, upcasters: Object.freeze({ ...upcasters }) as Versioning['upcasters'] };
};

/** Thrown by an upcaster made by `evolve` when the older payload does not decode with its codec. */
export class StepDecodeFailure {
  constructor(
    readonly version: number,
    readonly errors: t.Errors,
  ) {}
}

/** The upcaster `evolve` makes: decodes the older payload with its codec, then calls `up`. */
export const decodingUpcaster =
  (version: number, codec: t.Mixed, up: (previous: any) => unknown): Upcaster =>
  payload => {
    const result = codec.decode(payload);
    if (result._tag === 'Left') throw new StepDecodeFailure(version, result.left);
    return up(result.right);
  };

/**
 * The version an event says it is: `metadata.version` (a number, or a numeric string from a
 * header), 1 when absent, `undefined` when it is no version at all.
 */
export const receivedVersion = (event: Event): number | undefined => {
  const raw = event.metadata?.version as unknown;
  if (raw === undefined || raw === null) return 1;
  const version = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return isVersion(version) ? version : undefined;
};

/**
 * Runs the upcasters from version `from` up to `versioning.version`, on `event.payload`.
 * Throws an `EventError` naming the step that is missing or failed.
 */
export const upcast = (event: Event, from: number, { version, upcasters }: Versioning): unknown => {
  const { type } = event;
  let payload = event.payload;
  for (let step = from; step < version; step++) {
    const up = upcasters[step];
    if (!up) {
      throw new EventError(
        event,
        `Event "${type}" is version ${from}, and there is no upcaster from version ${step} to ${step + 1}: this consumer reads version ${version} only. ` +
          `Declare event('${type}', { version: ${version}, upcasters: { ${step}: v${step} => v${step + 1}, ... } }).`,
        { from: step, to: step + 1 },
      );
    }
    try {
      payload = up(payload);
    } catch (cause) {
      if (cause instanceof StepDecodeFailure) {
        const { issues, summary } = describeIssues(cause.errors, 'payload');
        const upcastFrom = cause.version === from ? '' : ` (upcast from version ${from})`;
        throw new EventError(event, `Event "${type}" failed validation as version ${cause.version}${upcastFrom}: ${summary}`, issues);
      }
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new EventError(
        event,
        `Event "${type}": the upcaster from version ${step} to ${step + 1} failed: ${message}. Fix upcasters[${step}] of event('${type}'); the event is not retried.`,
        { from: step, to: step + 1, error: encodeError(cause) },
        { cause },
      );
    }
    if (payload !== null && typeof (payload as PromiseLike<unknown> | undefined)?.then === 'function') {
      throw new EventError(
        event,
        `Event "${type}": the upcaster from version ${step} to ${step + 1} returned a Promise. Upcasters are synchronous: return the next payload itself.`,
        { from: step, to: step + 1 },
      );
    }
  }
  return payload;
};
