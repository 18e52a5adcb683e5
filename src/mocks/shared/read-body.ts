import type { IncomingMessage, ServerResponse } from 'node:http';
import { noteBodyLength } from './request-log.ts';

export interface LimitedBody {
  /** At most `limit + 1` bytes: enough to tell "exactly at the limit" from "over it". */
  bytes: Buffer;
  overLimit: boolean;
}

/**
 * Reads a request body but keeps no more than `limit + 1` bytes, like Go's http.MaxBytesReader.
 * Past the limit it stops buffering and lets Node discard the rest, so a huge upload cannot
 * exhaust memory and the client still receives the answer on a clean connection.
 */
export function readBodyLimited(req: IncomingMessage, res: ServerResponse, limit: number): Promise<LimitedBody> {
  sendContinueIfExpected(req, res);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (overLimit: boolean) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      noteBodyLength(req, size);
      resolve({ bytes: Buffer.concat(chunks, Math.min(size, limit + 1)), overLimit });
    };
    const onData = (chunk: Buffer) => {
      const room = limit + 1 - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size > limit) {
        finish(true);
        req.resume();
      }
    };
    req.on('data', onData);
    req.once('end', () => finish(false));
    req.once('error', (error) => {
      if (!settled) reject(error);
    });
    req.once('close', () => {
      if (!settled && !req.complete) reject(new Error('request body aborted'));
    });
  });
}

/** Reads a small body (admin API, AgentAPI POST) whole, refusing anything larger than `limit`. */
export async function readBodyText(req: IncomingMessage, res: ServerResponse, limit = 1024 * 1024): Promise<string | undefined> {
  const body = await readBodyLimited(req, res, limit);
  return body.overLimit ? undefined : body.bytes.toString('utf8');
}

function sendContinueIfExpected(req: IncomingMessage, res: ServerResponse): void {
  const expect = req.headers.expect;
  if (typeof expect === 'string' && expect.toLowerCase() === '100-continue' && !res.headersSent) res.writeContinue();
}
