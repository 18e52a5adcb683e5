import { readAsset } from '../mocks/coderd/web/routes.ts';

/**
 * The task page's own files (its HTML and CSS), read where the mock coderd serves them from, so
 * an exported transcript is drawn from the very page a running mock shows.
 */
export function readPageAsset(name: 'task-page.html' | 'task-view.css'): string {
  const asset = readAsset(name);
  if ('missing' in asset) throw new Error(`the task page's file ${asset.missing} is missing from this agentapi-kit installation (reinstall agentapi-kit)`);
  return asset.body.toString('utf8');
}
