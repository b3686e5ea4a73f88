import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServerError } from '../error/errors';
import { rejectUpgrade } from './upgrade';

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

interface Router {
  /** Handlers by path; `undefined` takes every path. */
  readonly routes: Map<string | undefined, UpgradeHandler>;
  readonly listener: UpgradeHandler;
}

/** One router per HTTP server, so that several WebSocket servers can share it on distinct paths. */
const routers = new WeakMap<Server, Router>();

export const pathnameOf = (request: IncomingMessage): string => {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return request.url ?? '/';
  }
};

/**
 * Routes the HTTP server's upgrade requests on `path` to `handler`. A path no WebSocket
 * server takes gets 404, unless some other upgrade listener is there to take it. Returns
 * the function that detaches the handler.
 */
export const attachUpgradeHandler = (server: Server, path: string | undefined, handler: UpgradeHandler): (() => void) => {
  let router = routers.get(server);
  if (!router) {
    const routes = new Map<string | undefined, UpgradeHandler>();
    const listener: UpgradeHandler = (request, socket, head) => {
      const found = routes.get(pathnameOf(request)) ?? routes.get(undefined);
      if (found) return found(request, socket, head);
      if (server.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, `No WebSocket endpoint at ${pathnameOf(request)}`);
    };
    router = { routes, listener };
    routers.set(server, router);
    server.on('upgrade', listener);
  }
  if (router.routes.has(path)) {
    throw new WebSocketServerError(
      path === undefined
        ? 'Another WebSocket server already takes every path of this HTTP server: give each server its own options.path'
        : `Another WebSocket server already listens on path "${path}" of this HTTP server: give each server its own options.path`,
    );
  }
  router.routes.set(path, handler);
  const { routes, listener } = router;
  let attached = true;
  return () => {
    if (!attached) return;
    attached = false;
    routes.delete(path);
    if (routes.size === 0) {
      server.off('upgrade', listener);
      routers.delete(server);
    }
  };
};
