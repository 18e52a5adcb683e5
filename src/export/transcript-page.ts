import { createHash } from 'node:crypto';
import { parseHTML } from 'linkedom';
// The task page's own view code, as the browser runs it: the same words and layout offline.
import { render } from '../mocks/coderd/web/assets/render.js';
import { viewFromAnswer } from '../mocks/coderd/web/assets/view-model.js';
import { TRUNCATION_MARKER_PREFIX } from '../contract/snapshot-api.ts';
import { readPageAsset } from './page-assets.ts';

export interface TranscriptInput {
  /** The task's owner and ID, as in the page's address. */
  user: string;
  taskId: string;
  title: string;
  /** coderd's answer to the logs route, as it answered. */
  status: number;
  body: string;
  /** Where and when it was read, for the footer. */
  source: string;
  exportedAt: string;
}

/** Every message shown whole: a static page has no script to unfold a long one. */
const ALL_UNFOLDED = { has: () => true } as unknown as Set<string>;

/**
 * One task's conversation as a static page that opens from disk: the task page's HTML, drawn by
 * its own render code (in a DOM of linkedom's), with its script removed, its CSS inlined, and a
 * Content-Security-Policy that allows that one style block and no script at all, so nothing
 * a conversation holds can run even if it were ever parsed as markup.
 */
export function transcriptPage(input: TranscriptInput): string {
  const html = readPageAsset('task-page.html').replace('{{markerPrefix}}', escapeAttribute(TRUNCATION_MARKER_PREFIX));
  const { document } = parseHTML(html);
  makeStatic(document, `${input.title} · agentapi-kit export`, 'agentapi-kit export');
  text(document, 'task-user', input.user);
  text(document, 'task-title', input.title);
  text(document, 'poll-text', `Exported ${input.exportedAt} from ${input.source}. This page is a copy: it does not update.`);
  const view = viewFromAnswer(input.status, input.body, { user: input.user, task: input.taskId, markerPrefix: TRUNCATION_MARKER_PREFIX });
  withDocument(document, () =>
    render(view, { badge: byId(document, 'state-badge'), stateText: byId(document, 'state-text'), notice: byId(document, 'notice'), messages: byId(document, 'messages') }, ALL_UNFOLDED),
  );
  return document.toString();
}

/** Drops the page's script and stylesheet link, inlines the CSS and pins it with a CSP hash. */
export function makeStatic(document: Document, title: string, brand: string, extraCss = ''): void {
  for (const node of [...document.querySelectorAll('script, link[rel="stylesheet"]')]) node.remove();
  const css = `${readPageAsset('task-view.css')}${extraCss}`;
  const policy = document.createElement('meta');
  policy.setAttribute('http-equiv', 'Content-Security-Policy');
  policy.setAttribute('content', contentSecurityPolicy(css));
  const style = document.createElement('style');
  style.textContent = css;
  const head = document.querySelector('head') as HTMLHeadElement;
  head.prepend(policy);
  head.append(style);
  const titleNode = document.querySelector('title');
  if (titleNode !== null) titleNode.textContent = title;
  const brandNode = document.querySelector('.brand');
  if (brandNode !== null) brandNode.textContent = brand;
}

/** No script, no network: only the page's own inline style (by hash) and data: images. */
export function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; script-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** render.js draws through the global `document`, as in the browser; lend it this page's for one call. */
function withDocument(document: Document, draw: () => void): void {
  const global = globalThis as { document?: Document };
  const before = global.document;
  global.document = document;
  try {
    draw();
  } finally {
    if (before === undefined) delete global.document;
    else global.document = before;
  }
}

function byId(document: Document, id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the task page has no #${id}`);
  return node as HTMLElement;
}

function text(document: Document, id: string, value: string): void {
  byId(document, id).textContent = value;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
