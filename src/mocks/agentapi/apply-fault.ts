import type { ServerResponse } from 'node:http';
import { responseClosedSignal, sleep } from '../shared/abortable.ts';
import type { AgentapiFault } from './faults.ts';

export const JSON_TYPE = 'application/json';
export const PROBLEM_TYPE = 'application/problem+json';

/** The bodies a route can answer with; the fault decides which one, when and how. */
export interface RouteBodies {
  ok: () => string;
  problem: (status: number, detail: string) => string;
  nullMessages?: () => string;
  missingMessages?: () => string;
}

export function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Go's net/http sends a body of up to 2048 bytes (its buffer before chunking) with a
 * Content-Length, and a larger one chunked, with none: AgentAPI's big `GET /messages` are streamed.
 */
const GO_CHUNKING_THRESHOLD = 2048;

export function sendLikeGo(res: ServerResponse, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body);
  if (bytes.length <= GO_CHUNKING_THRESHOLD) return send(res, status, contentType, bytes);
  res.writeHead(status, { 'content-type': contentType });
  res.end(bytes);
}

export async function answerWithFault(res: ServerResponse, fault: AgentapiFault, bodies: RouteBodies): Promise<void> {
  const signal = responseClosedSignal(res);
  if (fault.delayMs !== undefined && fault.delayMs > 0 && !(await sleep(fault.delayMs, signal))) return;
  switch (fault.kind) {
    case 'delay':
      return send(res, 200, JSON_TYPE, bodies.ok());
    case 'status': {
      const status = fault.status ?? 500;
      return send(res, status, PROBLEM_TYPE, bodies.problem(status, 'Injected fault (mock AgentAPI).'));
    }
    case 'hang':
      // Never answer: the client's own timeout must save it. close() destroys the socket.
      return;
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'malformed':
      return send(res, 200, JSON_TYPE, truncated(bodies.ok()));
    case 'html':
      return send(res, 200, 'text/html; charset=utf-8', BAD_GATEWAY_PAGE);
    case 'drip':
      return drip(res, bodies.ok(), fault.chunkBytes ?? 64, fault.intervalMs ?? 50, signal);
    case 'null-messages':
      return send(res, 200, JSON_TYPE, (bodies.nullMessages ?? bodies.ok)());
    case 'missing-messages':
      return send(res, 200, JSON_TYPE, (bodies.missingMessages ?? bodies.ok)());
  }
}

/**
 * A complete HTTP response whose JSON stops half-way (as when a proxy cuts a stream). At least
 * one byte goes so that the body is never accidentally empty-and-valid.
 */
function truncated(body: string): Buffer {
  const bytes = Buffer.from(body);
  // Bytes, not characters: a cut inside a UTF-8 sequence is part of what a client must survive.
  return bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
}

/** What a reverse proxy serves when the upstream is down: 200 is wrong but happens (captive portals, misrouting). */
const BAD_GATEWAY_PAGE = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream unavailable</p></body></html>\n';

/** Sends the real body slowly: headers and the first chunk at once, then one chunk per interval. */
async function drip(res: ServerResponse, body: string, chunkBytes: number, intervalMs: number, signal: AbortSignal): Promise<void> {
  const bytes = Buffer.from(body);
  res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    if (offset > 0 && !(await sleep(intervalMs, signal))) return;
    res.write(bytes.subarray(offset, offset + chunkBytes));
  }
  res.end();
}
