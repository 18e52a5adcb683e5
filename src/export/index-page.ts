import { parseHTML } from 'linkedom';
import { makeStatic } from './transcript-page.ts';

/** One row of the index: a task in the archive, or one that failed this run. */
export interface IndexRow {
  taskId: string;
  owner: string;
  name: string;
  status: string;
  /** `live`, `snapshot of <time>`, `no snapshot`, or why there is no transcript. */
  source: string;
  messages: number | null;
  exportedAt: string | null;
  /** Relative link to the transcript, when one is archived. */
  href: string | null;
  /** What went wrong this run, if anything (an older copy may still be linked). */
  problem: string | null;
}

const INDEX_CSS = `
.index { width: 100%; border-collapse: collapse; background: var(--card); }
.index th, .index td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.index td.problem { color: #9a3412; }
`;

const SKELETON = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title></title></head>
<body><header class="top"><div class="top-inner"><p class="crumbs"><span class="brand"></span></p><h1 id="title"></h1><p id="summary" class="state-line"></p></div></header>
<main id="main"><table class="index"><thead><tr><th>Task</th><th>Owner</th><th>Status</th><th>Conversation</th><th>Messages</th><th>Exported</th><th>Problem</th></tr></thead><tbody id="rows"></tbody></table></main>
<footer class="foot"><p id="foot"></p></footer></body></html>`;

/** The archive's front page: every task it holds, newest problems visible, all as plain text. */
export function indexPage(rows: readonly IndexRow[], source: string, exportedAt: string): string {
  const { document } = parseHTML(SKELETON);
  makeStatic(document, 'Task conversations · agentapi-kit export', 'agentapi-kit export', INDEX_CSS);
  set(document.getElementById('title'), 'Task conversations');
  const failed = rows.filter((row) => row.problem !== null).length;
  set(document.getElementById('summary'), `${rows.length} ${rows.length === 1 ? 'task' : 'tasks'}${failed > 0 ? `, ${failed} with a problem in the last run` : ''}.`);
  set(document.getElementById('foot'), `Last exported ${exportedAt} from ${source}. These pages are copies: they do not update.`);
  const body = document.getElementById('rows') as HTMLElement;
  for (const row of rows) body.append(tableRow(document, row));
  return document.toString();
}

function tableRow(document: Document, row: IndexRow): HTMLElement {
  const tr = document.createElement('tr');
  const name = document.createElement('td');
  if (row.href === null) name.textContent = row.name;
  else {
    const link = document.createElement('a');
    link.setAttribute('href', row.href);
    link.textContent = row.name;
    name.append(link);
  }
  name.title = row.taskId;
  tr.append(name);
  for (const value of [row.owner, row.status, row.source, row.messages === null ? '' : String(row.messages), row.exportedAt ?? '']) tr.append(cell(document, value));
  const problem = cell(document, row.problem ?? '');
  if (row.problem !== null) problem.className = 'problem';
  tr.append(problem);
  return tr;
}

function cell(document: Document, text: string): HTMLElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function set(node: Element | null, text: string): void {
  if (node !== null) node.textContent = text;
}
