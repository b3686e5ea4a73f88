import { createContextToken } from '@tributary/core';
import type { Subject } from 'rxjs';
import type { TransportLayer } from '../transport/transport.interface';
import type { AllServerEvents } from './serverEvents';

/**
 * The transport layer of the running microservice.
 * @example
 * ```ts
 * import { useContext } from '@tributary/core';
 * import { MsgEffect, TransportLayerToken } from '@tributary/messaging';
 * import { EMPTY } from 'rxjs';
 * export const channel$: MsgEffect = (_event$, ctx) => {
 *   const layer = useContext(TransportLayerToken)(ctx.ask);
 *   console.log(layer.config.channel);
 *   return EMPTY;
 * };
 * ```
 * @since 0.1.0
 * @category microservice
 */
export const TransportLayerToken = createContextToken<TransportLayer>('TransportLayerToken');

/**
 * The server events (status, error, close) of the running microservice.
 * @example
 * ```ts
 * import { ServerEventsToken } from '@tributary/messaging';
 * ServerEventsToken.name; // 'ServerEventsToken'
 * ```
 * @since 0.1.0
 * @category microservice
 */
export const ServerEventsToken = createContextToken<Subject<AllServerEvents>>('ServerEventsToken');
