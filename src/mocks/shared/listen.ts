import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerMalformedRequest, markAnswering } from './client-errors.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  server: Server;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** Stops listening and destroys every open socket, so hung or dripping responses cannot keep it alive. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only: the mocks are test doubles and must never be reachable from outside.
 * Port 0 asks the kernel for a free port.
 */
export async function listenLocal(handler: RequestHandler, port = 0): Promise<LocalServer> {
  const answering = new WeakSet<Socket>();
  const handle = guard(markAnswering(answering, handler));
  const server = createServer(handle);
  // Go's server sends "100 Continue" only when the handler reads the body; doing the same lets
  // early rejections (401, 404) reach curl before it uploads anything, as with the real coderd.
  server.on('checkContinue', handle);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerMalformedRequest(error, socket, answering.has(socket)));
  const sockets = trackSockets(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    close() {
      closing ??= closeServer(server, sockets);
      return closing;
    },
  };
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  await closed;
}

/** A handler bug must become a 500 (or a dropped socket), never an unhandled rejection that kills the mock. */
function guard(handler: RequestHandler): RequestHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      answerInternalError(res, error);
    }
  };
}

function answerInternalError(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const detail = error instanceof Error ? error.message : String(error);
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify({ message: 'Mock internal error.', detail })}\n`);
}
