import type * as Kafka from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { CoreError } from '@tributary/core';

/** The `@platformatic/kafka` module (an ES module). */
export type KafkaModule = typeof Kafka;
export type { Kafka };

let loaded: KafkaModule | undefined;

/**
 * Loads `@platformatic/kafka`, an ES module, with Node's own `require` (Node ≥ 22.12 loads ES
 * modules with it). Taken from `process.getBuiltinModule` so that module sandboxes (Jest's)
 * hand the package to Node instead of trying to evaluate it as CommonJS.
 */
export const kafkaClient = (): KafkaModule => {
  if (loaded) return loaded;
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => any }).getBuiltinModule;
  if (!getBuiltin) throw nodeTooOld();
  try {
    loaded = getBuiltin('node:module').createRequire(__filename)('@platformatic/kafka') as KafkaModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ERR_REQUIRE_ESM') throw nodeTooOld(error);
    throw error;
  }
  return loaded;
};

const nodeTooOld = (cause?: unknown): CoreError =>
  new CoreError(
    `@tributary/kafka needs Node.js 22.22 or newer (its client, @platformatic/kafka, is an ES module loaded with require); this is Node.js ${process.versions.node}. Upgrade Node.js.`,
    { context: 'kafka.client', cause },
  );

/** An error from the client as an `Error` of this realm (the client may live in another one, e.g. under Jest). */
export const asError = (error: unknown): Error => {
  if (error instanceof Error) return error;
  if (error && typeof error === 'object' && 'message' in error) {
    const copy = new Error(String((error as Error).message), { cause: error });
    copy.name = String((error as Error).name ?? 'Error');
    return copy;
  }
  return new Error(String(error));
};

/** Whether a client error (or one it wraps) has this Kafka error name (`TOPIC_ALREADY_EXISTS`, ...). */
export const hasKafkaError = (error: unknown, apiId: string): boolean => {
  const seen = new Set<unknown>();
  const walk = (e: any): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    if (e.apiId === apiId || (typeof e.message === 'string' && e.message.includes(apiId))) return true;
    if (Array.isArray(e.errors) && e.errors.some(walk)) return true;
    return walk(e.cause);
  };
  return walk(error);
};
