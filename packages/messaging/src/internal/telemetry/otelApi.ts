import type * as OTel from '@opentelemetry/api';

/** The `@opentelemetry/api` module, when the application installed it. */
export type OTelApi = typeof OTel;

let loaded: OTelApi | null | undefined;

/**
 * `@opentelemetry/api`, loaded on first use with a guarded `require`: an optional peer
 * dependency, so without it nothing fails, nothing is logged and `undefined` is returned.
 */
export const otelApi = (): OTelApi | undefined => {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('@opentelemetry/api') as OTelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
};

/** Tests only: pretend the module is (not) installed. */
export const setOtelApiForTests = (api: OTelApi | null | undefined): void => {
  loaded = api;
};
