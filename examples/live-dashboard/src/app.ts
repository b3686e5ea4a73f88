import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bindEagerlyTo, bindTo, createLogger, LoggerToken, lookup, useContext } from '@tributary/core';
import { EventBus, EventBusClient, EventBusClientToken, EventBusToken, messagingListener } from '@tributary/messaging';
import { bridgeToWebSockets, createWebSocketServer, webSocketListener } from '@tributary/websockets';
import { initialStock } from './catalog';
import { LIVE_EVENT_TYPES } from './events';
import { submitOrder$ } from './order.effects';
import { notificationDelivered$, notifyCustomer$ } from './services/notification.service';
import { reserveStock } from './services/inventory.service';
import { placeOrder$ } from './services/order.service';
import { capturePayment$ } from './services/payment.service';
import { serveStatic } from './staticFiles';

/** public/ next to src/ (under jest) and dist/ (built). */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

export interface Dashboard {
  /** The page: `http://host:port/`. */
  readonly url: string;
  /** The WebSocket endpoint: `ws://host:port/ws`. */
  readonly wsUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the dashboard: the order services on the in-process bus, one HTTP server serving
 * public/ and, on /ws, the WebSocket server that takes orders from browsers and forwards the
 * bus' events to them.
 */
export const startDashboard = async ({
  port = 3000,
  host = '127.0.0.1',
  log,
}: {
  port?: number;
  host?: string;
  /** where the log lines go (warnings and up), instead of stdout */
  log?: (line: string) => void;
} = {}): Promise<Dashboard> => {
  const http = createServer(serveStatic(PUBLIC_DIR));
  const webSockets = await createWebSocketServer({
    options: {
      server: http,
      path: '/ws',
      // browsers: only pages served by this server (a same-origin check against cross-site WebSocket hijacking)
      verifyClient: ({ origin, req }) => !origin || new URL(origin).host === req.headers.host,
      heartbeatInterval: 15_000,
    },
    listener: webSocketListener({ effects: [submitOrder$] }),
    dependencies: [
      ...(log ? [bindTo(LoggerToken)(() => createLogger({ level: 'warn', write: log }))] : []),
      bindEagerlyTo(EventBusToken)(
        EventBus({
          listener: messagingListener({ effects: [placeOrder$, capturePayment$, reserveStock(initialStock()), notifyCustomer$, notificationDelivered$] }),
        }),
      ),
      bindTo(EventBusClientToken)(EventBusClient),
    ],
    event$: bridgeToWebSockets({ from: EventBusClientToken, types: LIVE_EVENT_TYPES }),
  });
  await webSockets();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const origin = `${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url: `http://${origin}/`,
    wsUrl: `ws://${origin}/ws`,
    close: async () => {
      await webSockets.close();
      await useContext(EventBusToken)(lookup(webSockets.context)).close({ drainTimeout: 2000 });
      await new Promise<void>(resolve => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
};
