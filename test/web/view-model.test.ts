import { describe, expect, it } from 'vitest';
// The page's own module, as the browser runs it (plain JavaScript, no build step).
import { bytesLabel, splitMarker, viewFromAnswer } from '../../src/mocks/coderd/web/assets/view-model.js';
import { TRUNCATION_MARKER_PREFIX, truncationMarker } from '../../src/snapshot/policy.ts';

const where = { user: 'ann', task: 't-1', markerPrefix: TRUNCATION_MARKER_PREFIX };
const entry = (id: number, type: string, content: string) => ({ id, type, content, time: '2026-11-20T09:00:47Z' });

describe('the task page view model', () => {
  it('reads the marker the module writes, with the bytes kept', () => {
    expect(splitMarker(`${truncationMarker(65012)}tail ✅`, TRUNCATION_MARKER_PREFIX)).toEqual({
      marker: { line: '[...content truncated, showing last 65012 bytes]', bytesKept: 65012 },
      body: 'tail ✅',
    });
    expect(splitMarker('no marker here', TRUNCATION_MARKER_PREFIX)).toEqual({ marker: null, body: 'no marker here' });
    // Another producer's wording: still a marker, the count unknown.
    expect(splitMarker('[...content truncated]\nrest', TRUNCATION_MARKER_PREFIX)).toEqual({ marker: { line: '[...content truncated]', bytesKept: null }, body: 'rest' });
  });

  it('tells live, snapshot and no snapshot apart as coderd encodes them', () => {
    const live = viewFromAnswer(200, JSON.stringify({ logs: [entry(0, 'input', 'hi'), entry(1, 'output', 'yo')] }), where);
    expect(live).toMatchObject({ kind: 'live', messages: [{ who: 'user', label: 'User', timeLabel: '09:00:47 UTC' }, { who: 'agent', label: 'Agent' }] });
    const paused = viewFromAnswer(200, JSON.stringify({ logs: [entry(3, 'output', 'x')], snapshot: true, snapshot_at: '2026-11-20T09:06:00.123Z' }), where);
    expect(paused).toMatchObject({ kind: 'snapshot', snapshotAtLabel: '2026-11-20 09:06:00 UTC', messages: [{ id: 3 }] });
    expect(viewFromAnswer(200, '{"logs":[],"snapshot":true}\n', where)).toEqual({ kind: 'no-snapshot' });
    expect(viewFromAnswer(200, '{"logs":[]}', where)).toEqual({ kind: 'live', messages: [] });
  });

  it('explains errors in words and keeps what coderd said', () => {
    const unknown = viewFromAnswer(404, '{"message":"Resource not found or you do not have access to this resource"}', where);
    expect(unknown).toMatchObject({ kind: 'problem', title: 'Unknown task', said: 'Resource not found or you do not have access to this resource' });
    expect(unknown.kind === 'problem' && unknown.explanation).toContain('no task "t-1" for user "ann"');
    const noTasks = viewFromAnswer(404, '{"message":"Route not found."}', where);
    expect(noTasks).toMatchObject({ kind: 'problem', title: 'No Tasks API', said: 'Route not found.' });
    expect(noTasks.kind === 'problem' && noTasks.explanation).toContain('v2.38 and later');
    const stopping = viewFromAnswer(409, '{"message":"Cannot fetch logs for task in current state.","detail":"Task status is \\"unknown\\"."}', where);
    expect(stopping.kind === 'problem' && stopping.explanation).toContain('"unknown" while its workspace stops');
    const format = viewFromAnswer(500, '{"message":"Unsupported task snapshot format.","detail":"Expected format \\"agentapi\\", got \\"x\\"."}', where);
    expect(format).toMatchObject({ title: 'Snapshot in an unknown format' });
    expect(viewFromAnswer(500, '{"message":"Invalid snapshot data."}', where)).toMatchObject({ title: 'Snapshot cannot be read' });
    expect(viewFromAnswer(200, '<html>', where)).toMatchObject({ title: 'Not a coderd answer' });
    expect(viewFromAnswer(200, '{"logs":[{"id":"0"}]}', where)).toMatchObject({ title: 'Unexpected answer' });
  });

  it('labels byte counts exactly, with KiB past 1 KiB', () => {
    expect(bytesLabel(1)).toBe('1 byte');
    expect(bytesLabel(900)).toBe('900 bytes');
    expect(bytesLabel(65012)).toBe('65,012 bytes (63.5 KiB)');
  });
});
