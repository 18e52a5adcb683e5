// @ts-check
/**
 * Draws a View (view-model.js) into the page. Every piece of conversation text goes in through
 * textContent, never as HTML: it is terminal output and may contain anything.
 */
import { bytesLabel } from './view-model.js';

/** Messages longer than this many lines start folded, showing their last TAIL_LINES lines. */
const FOLD_OVER_LINES = 40;
const TAIL_LINES = 24;

/**
 * @typedef {import('./view-model.js').View} View
 * @typedef {import('./view-model.js').MessageView} MessageView
 * @typedef {{ badge: HTMLElement, stateText: HTMLElement, notice: HTMLElement, messages: HTMLElement }} Parts
 */

/**
 * @param {View} view
 * @param {Parts} parts
 * @param {Set<string>} unfolded keys of the messages the reader chose to see whole
 */
export function render(view, parts, unfolded) {
  parts.badge.dataset.state = view.kind;
  parts.badge.textContent = BADGES[view.kind];
  parts.stateText.textContent = stateText(view);
  parts.messages.replaceChildren();
  showNotice(parts.notice, noticeFor(view));
  if (view.kind !== 'live' && view.kind !== 'snapshot') return;
  for (const message of view.messages) parts.messages.append(messageItem(message, `${view.kind}:${message.id}`, unfolded));
}

const BADGES = { live: 'Live', snapshot: 'Paused · snapshot', 'no-snapshot': 'Paused · no snapshot', problem: 'Cannot show' };

/** @param {View} view */
function stateText(view) {
  switch (view.kind) {
    case 'live':
      return `Running: the conversation is read live from AgentAPI. ${count(view.messages.length)}.`;
    case 'snapshot':
      return `Not running (paused, or starting up): showing the log snapshot saved ${view.snapshotAtLabel}. ${count(view.messages.length)}.`;
    case 'no-snapshot':
      return 'Not running, and there is no log snapshot to show.';
    case 'problem':
      return view.status === 0 ? 'coderd cannot be reached.' : `coderd answered ${view.status}.`;
  }
}

/**
 * @param {View} view
 * @returns {{ tone: string, title: string, text: string, said?: string } | null}
 */
function noticeFor(view) {
  switch (view.kind) {
    case 'live':
      return view.messages.length > 0 ? null : { tone: 'empty', title: 'No messages yet', text: "AgentAPI's conversation is empty. Messages appear here as the task works, without reloading." };
    case 'snapshot':
      if (view.messages.length === 0) return { tone: 'empty', title: 'The snapshot is empty', text: 'A snapshot was saved, but it holds no messages.' };
      return {
        tone: 'snapshot',
        title: 'Log snapshot',
        text: `This is what the workspace uploaded as it stopped (${view.snapshotAtLabel}), not the live conversation: only the newest messages, trimmed to fit if they were too long. The live view returns when the task resumes.`,
      };
    case 'no-snapshot':
      return {
        tone: 'empty',
        title: 'No snapshot',
        text: 'The task is paused and coderd holds no log snapshot for it, so its conversation cannot be shown until it resumes. The module uploads one as the workspace stops (when task_log_snapshot is on); the workspace\'s stop log says why none arrived.',
      };
    case 'problem':
      return { tone: 'problem', title: view.title, text: view.explanation, said: view.said };
  }
}

/**
 * @param {HTMLElement} notice
 * @param {{ tone: string, title: string, text: string, said?: string } | null} content
 */
function showNotice(notice, content) {
  notice.hidden = content === null;
  notice.replaceChildren();
  if (content === null) return;
  notice.dataset.tone = content.tone;
  notice.append(element('h2', 'notice-title', content.title), element('p', 'notice-text', content.text));
  if (content.said) notice.append(element('p', 'notice-said', `coderd said: ${content.said}`));
}

/**
 * @param {MessageView} message
 * @param {string} key
 * @param {Set<string>} unfolded
 */
function messageItem(message, key, unfolded) {
  const item = element('li', `message from-${message.who}`);
  item.dataset.id = String(message.id);
  const meta = element('div', 'meta');
  const time = element('time', 'time', message.timeLabel);
  time.setAttribute('datetime', message.time);
  time.title = message.time;
  meta.append(element('span', 'who', message.label), time, element('span', 'msg-id', `#${message.id}`));
  item.append(meta);
  if (message.marker !== null) item.append(markerNote(message.marker));
  const lines = message.body.split('\n');
  const folded = lines.length > FOLD_OVER_LINES && !unfolded.has(key);
  if (folded) item.append(unfoldButton(lines.length - TAIL_LINES, key, unfolded));
  item.append(element('pre', 'content', folded ? lines.slice(-TAIL_LINES).join('\n') : message.body));
  return item;
}

/** @param {import('./view-model.js').Marker} marker */
function markerNote(marker) {
  const note = element('div', 'marker');
  note.setAttribute('role', 'note');
  if (marker.bytesKept !== null) note.dataset.bytesKept = String(marker.bytesKept);
  note.title = marker.line;
  const kept = marker.bytesKept === null ? `only the end of this message (${marker.line})` : `only the last ${bytesLabel(marker.bytesKept)} of this message`;
  note.append(element('strong', 'marker-title', 'Truncated:'), document.createTextNode(` the snapshot kept ${kept}; its start was cut.`));
  return note;
}

/**
 * @param {number} hidden
 * @param {string} key
 * @param {Set<string>} unfolded
 */
function unfoldButton(hidden, key, unfolded) {
  const button = element('button', 'unfold', `Show ${hidden.toLocaleString('en-US')} earlier lines`);
  button.setAttribute('type', 'button');
  button.addEventListener('click', () => {
    unfolded.add(key);
    document.dispatchEvent(new CustomEvent('task-view:redraw'));
  });
  return button;
}

/** @param {number} n */
function count(n) {
  return `${n} ${n === 1 ? 'message' : 'messages'}`;
}

/**
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
