// @ts-check
/**
 * The task page's loop: ask coderd for the task's logs, draw what it says, ask again. Polling,
 * like the Coder dashboard, so a task going live -> paused -> live shows without a reload.
 * `?poll=MS` changes the interval (default 1000 ms, at least 100).
 */
import { render } from './render.js';
import { problem, viewFromAnswer } from './view-model.js';

const [user = '', task = ''] = location.pathname.split('/').slice(2, 4).map(decodeURIComponent);
const where = { user, task, markerPrefix: document.documentElement.dataset.markerPrefix ?? '' };
const pollMs = Math.max(100, Number(new URLSearchParams(location.search).get('poll')) || 1000);
const logsUrl = `/api/v2/tasks/${encodeURIComponent(user)}/${encodeURIComponent(task)}/logs`;

const parts = {
  badge: byId('state-badge'),
  stateText: byId('state-text'),
  notice: byId('notice'),
  messages: byId('messages'),
};
/** @type {Set<string>} */
const unfolded = new Set();
/** @type {import('./view-model.js').View | undefined} */
let shown;
let lastAnswer = '';

byId('task-user').textContent = user;
byId('task-title').textContent = `Task ${task}`;
document.addEventListener('task-view:redraw', () => shown && render(shown, parts, unfolded));
void poll();

async function poll() {
  const { status, text } = await ask();
  // Redraw only when the answer changed, so reading and scrolling are not disturbed.
  const answer = `${status}\n${text}`;
  if (answer !== lastAnswer) {
    lastAnswer = answer;
    shown = status === 0 ? problem(0, 'coderd unreachable', `The page cannot reach coderd (${text}). It keeps trying every ${pollMs / 1000} s.`, '') : viewFromAnswer(status, text, where);
    render(shown, parts, unfolded);
    document.title = `${parts.badge.textContent} · task ${task.slice(0, 8)}`;
  }
  byId('poll-text').textContent = `Checked ${new Date().toISOString().slice(11, 19)} UTC, every ${pollMs / 1000} s, through GET ${logsUrl}`;
  document.documentElement.dataset.polls = String(Number(document.documentElement.dataset.polls ?? 0) + 1);
  setTimeout(poll, pollMs);
}

/** @returns {Promise<{ status: number, text: string }>} status 0: no answer at all */
async function ask() {
  try {
    const response = await fetch(logsUrl, { credentials: 'same-origin', cache: 'no-store' });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: 0, text: error instanceof Error ? error.message : String(error) };
  }
}

/** @param {string} id */
function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}
