import { Transport, TRANSPORT_PACKAGES } from './Transport';
import type { TransportLayer } from './transport.interface';
import { CoreError } from '@tributary/core';
import { TransportNotInstalledError } from '../errors/errors';

/**
 * A transport given directly, instead of by `Transport.X` (custom transports, tests).
 * @since 0.1.0
 * @category transport SPI
 */
export interface TransportProvider<O = any> {
  readonly type: Transport;
  createTransportLayer(options: O): TransportLayer;
}

const isInstalled = (name: string): boolean => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};

const loadPackage = (transport: Transport): TransportProvider => {
  const name = TRANSPORT_PACKAGES[transport];
  const label = Transport[transport] ?? String(transport);
  if (!name) throw new TransportNotInstalledError(label, `a package providing Transport.${label}`);
  let mod: Partial<TransportProvider>;
  try {
    // resolved at run time, so that only the transports used need installing
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(name)) {
      if (!isInstalled(name)) throw new TransportNotInstalledError(label, name, error);
      throw new CoreError(
        `Transport.${label}: ${name} is installed but cannot be loaded (${(error as Error).message.split('\n')[0]}). ` +
          'If it is a workspace package, build it first: npx tsc -b',
        { context: 'messaging.transport', cause: error },
      );
    }
    throw error;
  }
  if (typeof mod.createTransportLayer !== 'function') {
    throw new TransportNotInstalledError(label, `${name} (a version exporting createTransportLayer)`);
  }
  return { type: transport, createTransportLayer: mod.createTransportLayer };
};

/**
 * Finds the transport layer for `Transport.X` (loading its package) or a provider object.
 *
 * @example
 * ```ts
 * import { provideTransportLayer, Transport } from '@tributary/messaging';
 * const layer = provideTransportLayer(Transport.LOCAL, { channel: 'orders' });
 * layer.config.channel; // 'orders'
 * ```
 * @since 0.1.0
 * @category transport SPI
 */
export const provideTransportLayer = (transport: Transport | TransportProvider, options: any = {}): TransportLayer => {
  if (typeof transport === 'object') return transport.createTransportLayer(options);
  return loadPackage(transport).createTransportLayer(options);
};
