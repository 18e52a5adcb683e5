import type { CoderCredentials } from './credentials.ts';

/** One answer of coderd, kept as text: the archive stores what coderd said, as it said it. */
export interface CoderdAnswer {
  status: number;
  text: string;
}

/** The fields of codersdk.Task that export reads; the whole object is archived as returned. */
export interface ListedTask {
  id: string;
  owner_name: string;
  name: string;
  status: string;
  [field: string]: unknown;
}

export class CoderdUnreachableError extends Error {
  override name = 'CoderdUnreachableError';
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The two Tasks API routes export uses, with the token in the `Coder-Session-Token` header (never
 * in a URL, where proxies and access logs keep it).
 */
export class CoderdClient {
  constructor(private readonly credentials: CoderCredentials) {}

  /** `GET /api/v2/tasks`: every task the token can see (coderd does not paginate this route). */
  listTasks(query: string): Promise<CoderdAnswer> {
    const search = query === '' ? '' : `?${new URLSearchParams({ q: query }).toString()}`;
    return this.get(`/api/v2/tasks${search}`);
  }

  /** `GET /api/v2/tasks/{user}/{task}/logs`: live from AgentAPI, or the stored snapshot. */
  taskLogs(task: ListedTask): Promise<CoderdAnswer> {
    return this.get(`/api/v2/tasks/${encodeURIComponent(task.owner_name)}/${encodeURIComponent(task.id)}/logs`);
  }

  /** The address a path is fetched from, for messages (no token in it). */
  urlOf(path: string): string {
    return `${this.credentials.url}${path}`;
  }

  private async get(path: string): Promise<CoderdAnswer> {
    let response: Response;
    try {
      response = await fetch(this.urlOf(path), {
        headers: { 'Coder-Session-Token': this.credentials.token, accept: 'application/json' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new CoderdUnreachableError(`cannot reach coderd at ${this.urlOf(path)}: ${reason(error)}`);
    }
    return { status: response.status, text: await response.text() };
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** coderd's error body `{message, detail}` in one line, or the start of whatever else it sent. */
export function coderdSaid(answer: CoderdAnswer): string {
  try {
    const body = JSON.parse(answer.text) as { message?: unknown; detail?: unknown };
    const parts = [body.message, body.detail].filter((part): part is string => typeof part === 'string' && part !== '');
    if (parts.length > 0) return parts.join(' ');
  } catch {
    // not JSON: fall through
  }
  return answer.text.trim().slice(0, 200) || '(empty body)';
}
