import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const LINGER_MS = 1_000;

/**
 * A request Node's parser rejects gets Go's plain-text answer ("400 Bad Request", or 431 for huge
 * headers). Node's default handler destroys the socket at once, which turns unread client bytes
 * into a TCP reset that can swallow the answer; like Go, write it, half-close, and keep draining
 * the client's bytes for a moment before letting go.
 */
export function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Socket, midResponse: boolean): void {
  if (error.code === 'ECONNRESET' || !socket.writable || midResponse) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const reason = STATUS_CODES[status] ?? 'Bad Request';
  socket.removeAllListeners('data');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status} ${reason}`);
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Remembers which sockets carry a response in progress: a parse error there cannot get its own answer. */
export function markAnswering(answering: WeakSet<Socket>, handler: Handler): Handler {
  return (req, res) => {
    const socket = req.socket;
    answering.add(socket);
    const done = () => answering.delete(socket);
    res.once('finish', done);
    res.once('close', done);
    return handler(req, res);
  };
}
