import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { TRUNCATION_MARKER_PREFIX } from '../../../contract/snapshot-api.ts';
import type { CoderdContext } from '../context.ts';
import { webAssetsDir } from './assets-dir.ts';

/**
 * The task page: `GET /tasks/{user}/{task}` (the Coder dashboard's own path for a task) and its
 * static assets under `/web/`. The page is plain HTML, CSS and ES modules read from `assets/` as
 * they are: no build step. Its script reads the conversation the way any client does, through
 * `GET /api/v2/tasks/{user}/{task}/logs`.
 */
export const TASK_PAGE_ROUTE = /^\/tasks\/([^/]+)\/([^/]+)\/?$/;
const ASSET_ROUTE = /^\/web\/([a-z-]+\.(?:js|css))$/;
/** The page itself, and the files it loads from `/web/`: every file of assets/ (a test holds the two equal). */
export const TASK_PAGE_FILE = 'task-page.html';
export const WEB_ASSET_FILES: readonly string[] = ['main.js', 'render.js', 'view-model.js', 'task-view.css'];
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
/** Same-origin only, no inline script: the page renders untrusted terminal text and must never run it. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** The page's address for a task, e.g. `http://127.0.0.1:8080/tasks/mock-user/<uuid>`. */
export function taskPageUrl(baseUrl: string, user: string, taskId: string): string {
  return `${baseUrl}/tasks/${encodeURIComponent(user)}/${encodeURIComponent(taskId)}`;
}

export function isWebPath(path: string): boolean {
  return TASK_PAGE_ROUTE.test(path) || ASSET_ROUTE.test(path);
}

/** Serves the page or an asset; never recorded (it is not coderd's API, the page's API calls are). */
export function serveWeb(path: string, req: IncomingMessage, res: ServerResponse, ctx: CoderdContext): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.\n', { allow: 'GET, HEAD' });
  const page = TASK_PAGE_ROUTE.exec(path);
  if (page !== null) return servePage(res, ctx, decode(page[1] as string));
  const asset = ASSET_ROUTE.exec(path)?.[1] as string;
  if (!WEB_ASSET_FILES.includes(asset)) return plain(res, 404, 'Not found.\n');
  const read = readAsset(asset);
  if ('missing' in read) return missingAsset(res, read.missing);
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES[asset.split('.').pop() as string] as string, 'content-length': read.body.length });
  res.end(req.method === 'HEAD' ? undefined : read.body);
}

/**
 * The mock has no login page, so opening a user's task page signs the browser in as that user:
 * an HttpOnly cookie (`coder_session_token`, where coderd reads it) scoped to that user's tasks API.
 * An unknown user gets no cookie, and the page shows the API's 401 in words.
 */
function servePage(res: ServerResponse, ctx: CoderdContext, user: string): void {
  const known = ctx.store.users.get(user);
  const read = readAsset(TASK_PAGE_FILE);
  if ('missing' in read) return missingAsset(res, read.missing);
  const html = read.body.toString('utf8').replace('{{markerPrefix}}', escapeAttribute(TRUNCATION_MARKER_PREFIX));
  const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) };
  if (known !== undefined) headers['set-cookie'] = `coder_session_token=${known.token}; Path=/api/v2/tasks/${known.username}; HttpOnly; SameSite=Strict`;
  res.writeHead(200, headers);
  res.end(html);
}

const cache = new Map<string, Buffer>();
let assetsDir: string | undefined;

/** A file of the page, or the path where it should have been (found once, then cached). */
export function readAsset(name: string, dir: string = (assetsDir ??= webAssetsDir())): { body: Buffer } | { missing: string } {
  const path = join(dir, name);
  let body = cache.get(path);
  if (body === undefined) {
    try {
      body = readFileSync(path);
    } catch {
      return { missing: path };
    }
    cache.set(path, body);
  }
  return { body };
}

/** A file of the page that is not where the package put it: a broken install, never an empty page. */
export function missingAssetMessage(path: string): string {
  return `The task page cannot be served: its file ${path} is missing from this agentapi-kit installation (reinstall agentapi-kit).\n`;
}

function missingAsset(res: ServerResponse, path: string): void {
  plain(res, 500, missingAssetMessage(path));
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
