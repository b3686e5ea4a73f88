import { DELIVERY_TRACKER } from './deliveryTracker';
import type { DeliveryTracker } from './deliveryTracker';
import type { Event } from './event.interface';

/**
 * Reads the delivery tracker of an event, if it came from a delivery machinery.
 *
 * @example
 * ```ts
 * import { getDeliveryTracker } from '@tributary/core';
 * getDeliveryTracker({ type: 'Ping' }); // undefined
 * ```
 * @since 0.1.0
 * @category delivery
 */
export const getDeliveryTracker = (event: Event | undefined): DeliveryTracker | undefined => event?.metadata?.[DELIVERY_TRACKER];
