import { readFileSync } from 'node:fs';

/**
 * The task page's own files (its HTML and CSS), read from the sources the page is served from.
 * They sit under src/ both in a checkout and in the installed package, and this file lives in
 * src/export/ there as well as when the CLI is bundled into dist/cli/ (both two levels below the
 * package root), so the path is taken from the package root.
 */
const ASSETS = ['../../src/mocks/coderd/web/assets/', '../mocks/coderd/web/assets/'];

export function readPageAsset(name: 'task-page.html' | 'task-view.css'): string {
  const tried: string[] = [];
  for (const base of ASSETS) {
    const url = new URL(`${base}${name}`, import.meta.url);
    try {
      return readFileSync(url, 'utf8');
    } catch {
      tried.push(url.pathname);
    }
  }
  throw new Error(`the task page's ${name} is missing (looked in ${tried.join(' and ')}): reinstall agentapi-kit`);
}
