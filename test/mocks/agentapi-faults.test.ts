import { get, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AgentapiFault, type MockAgentapi, startMockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { call } from '../support/http.ts';

let mock: MockAgentapi | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function withFault(fault: AgentapiFault | null): Promise<MockAgentapi> {
  mock = await startMockAgentapi({ preset: 'multibyte', fault });
  return mock;
}

/** The body the mock serves without a fault, to compare faulty answers against. */
async function normalBody(server: MockAgentapi): Promise<string> {
  const saved = server.fault();
  server.setFault(null);
  const { text } = await call(`${server.url}/messages`);
  server.setFault(saved);
  return text;
}

/** Collects the body chunk by chunk, as the socket delivered it. */
function chunksOf(url: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(chunks));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('mock AgentAPI faults on GET /messages', () => {
  it('status: answers the code with a problem JSON body', async () => {
    const server = await withFault({ kind: 'status', status: 503 });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(503);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ title: 'Service Unavailable', status: 503 });
  });

  it('delay: holds the answer back (a short client timeout fires), then answers normally', async () => {
    const server = await withFault({ kind: 'delay', delayMs: 10_000 });
    await expect(fetch(`${server.url}/messages`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout|aborted/i);
    server.setFault({ kind: 'delay', delayMs: 1 });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(await normalBody(server));
  });

  it('hang: never answers, and close() still ends the server and the pending request', async () => {
    const server = await withFault({ kind: 'hang' });
    await expect(fetch(`${server.url}/messages`, { signal: AbortSignal.timeout(150) })).rejects.toThrow(/timeout|aborted/i);
    const pending = fetch(`${server.url}/messages`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await pending).toBe('failed');
    expect(server.requests().every((record) => record.status === null)).toBe(true);
  });

  it('malformed: 200 application/json whose body is a cut-off prefix of the real one', async () => {
    const server = await withFault({ kind: 'malformed' });
    const full = Buffer.from(await normalBody(server));
    const response = await fetch(`${server.url}/messages`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(bytes.length).toBeLessThan(full.length);
    expect(full.subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(() => JSON.parse(bytes.toString('utf8'))).toThrow();
  });

  it('html: 200 with an HTML page', async () => {
    const server = await withFault({ kind: 'html' });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('drip: writes the exact body in many small pieces, each in its own turn of the event loop', async () => {
    const server = await withFault({ kind: 'drip', chunkBytes: 200, intervalMs: 5 });
    const full = Buffer.from(await normalBody(server));
    // Counted where the mock writes, not where the client reads: the kernel may merge segments
    // on the way (it did under load), so client-side chunk sizes prove nothing.
    const writes: Buffer[] = [];
    const separated: boolean[] = [];
    let turned = true;
    const write = ServerResponse.prototype.write;
    const spy = vi.spyOn(ServerResponse.prototype, 'write').mockImplementation(function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
      if (this.req?.url === '/messages') {
        writes.push(Buffer.from(args[0] as Buffer));
        separated.push(turned);
        turned = false;
        // Runs before any later timer: false at the next write means two writes in one burst.
        setImmediate(() => {
          turned = true;
        });
      }
      return write.apply(this, args);
    });
    try {
      const received = Buffer.concat(await chunksOf(`${server.url}/messages`));
      expect(received.equals(full)).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(full.length).toBeGreaterThan(400);
    expect(writes.length).toBe(Math.ceil(full.length / 200));
    expect(writes.every((piece) => piece.length <= 200)).toBe(true);
    expect(Buffer.concat(writes).equals(full)).toBe(true);
    expect(separated.every(Boolean)).toBe(true);
  });

  it('reset: drops the connection without an answer', async () => {
    const server = await withFault({ kind: 'reset' });
    await expect(fetch(`${server.url}/messages`)).rejects.toThrow(/fetch failed/);
    expect((await call(`${server.url}/status`)).status).toBe(200);
  });

  it('null-messages: "messages": null', async () => {
    const server = await withFault({ kind: 'null-messages' });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ $schema: expect.any(String), messages: null });
  });

  it('missing-messages: no messages key at all', async () => {
    const server = await withFault({ kind: 'missing-messages' });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ $schema: expect.any(String) });
  });
});

describe('mock AgentAPI fault controls', () => {
  it('times: fails the next N requests, then recovers by itself', async () => {
    const server = await withFault({ kind: 'status', status: 502, times: 2 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await call(`${server.url}/messages`)).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(server.fault()).toBeNull();
  });

  it('scope: /status is spared by default and affected with scope "all"', async () => {
    const server = await withFault({ kind: 'status', status: 500 });
    expect((await call(`${server.url}/status`)).status).toBe(200);
    server.setFault({ kind: 'status', status: 500, scope: 'all' });
    expect((await call(`${server.url}/status`)).status).toBe(500);
  });

  it('is settable at runtime and cleared with null', async () => {
    const server = await withFault(null);
    server.setFault({ kind: 'html' });
    expect((await call(`${server.url}/messages`)).contentType).toMatch(/^text\/html/);
    server.setFault(null);
    expect((await call(`${server.url}/messages`)).contentType).toBe('application/json');
  });

  it('refuses invalid faults', async () => {
    const server = await withFault(null);
    expect(() => server.setFault({ kind: 'explode' } as unknown as AgentapiFault)).toThrow(/invalid fault/);
    expect(() => server.setFault({ kind: 'status', status: 42 })).toThrow(/invalid fault/);
  });
});
