import { WebSocketConnectionLiveness } from '../websocket.interface';
import type { ClientConnection } from './ClientConnection';

/**
 * Pings every client each `interval` ms. A client that has not answered (pong, or any
 * message) since the previous ping is dead: it is terminated. One timer per server, not
 * per client. Returns the function that stops it.
 */
export const startHeartbeat = (
  clients: () => Iterable<ClientConnection>,
  interval: number,
  onDead: (client: ClientConnection) => void,
): (() => void) => {
  if (!(interval > 0)) return () => undefined;
  const timer = setInterval(() => {
    for (const client of clients()) {
      if (liveness(client) === WebSocketConnectionLiveness.DEAD) {
        onDead(client);
        client.terminate();
        continue;
      }
      client.isAlive = false;
      client.ping();
    }
  }, interval);
  timer.unref();
  return () => clearInterval(timer);
};

const liveness = (client: ClientConnection): WebSocketConnectionLiveness =>
  client.isAlive ? WebSocketConnectionLiveness.ALIVE : WebSocketConnectionLiveness.DEAD;
