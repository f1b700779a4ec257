import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Listening {
  server: Server;
  url: string;
  port: number;
  /** Stops accepting connections and destroys every open socket (hanging replies included). */
  close(): Promise<void>;
}

/**
 * An HTTP server on `host:port` (port 0 = any free port) that tracks its sockets so `close()`
 * ends promptly even when replies hang or clients keep connections alive.
 */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  port = 0,
  host = '127.0.0.1',
): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 5000 }, handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
