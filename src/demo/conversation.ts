/** A message as the demo feeds it to the mock AgentAPI. */
export interface DemoMessage {
  role: 'user' | 'agent';
  content: string;
  time: string;
}

const START = Date.parse('2026-11-20T09:00:00Z');

export interface DemoConversation {
  /** Short turns with multibyte text (CJK, accents, box drawing, emoji): fits the upload limit whole. */
  opening: DemoMessage[];
  /** The agent's next reply, far larger than the 64 KiB upload limit, so its head is cut. */
  longReply: DemoMessage;
}

/** A realistic task conversation in two parts, one for each of the demo's two stops. */
export function demoConversation(): DemoConversation {
  const turns: Array<[DemoMessage['role'], string]> = [
    ['user', 'Fix the failing date test in src/calendar — it breaks for 東京 (Asia/Tokyo).'],
    ['agent', 'Looking at src/calendar/format.ts… the test expects "2026年11月20日" but gets "2026/11/20".'],
    ['user', 'Keep the ISO path untouched, please. Naïve dates must stay naïve.'],
    ['agent', '┌─ plan ─────────────────────┐\n│ 1. add locale option       │\n│ 2. keep ISO default        │\n│ 3. run the suite           │\n└────────────────────────────┘'],
    ['user', 'Sounds good 👍 go ahead.'],
    ['agent', 'Added a `locale` option to formatDate (default "iso") and 3 tests.'],
    ['user', 'Run the whole suite and show me the output.'],
  ];
  // Whole seconds, as AgentAPI's RFC 3339 times are.
  const at = (index: number) => new Date(START + index * 47_000).toISOString().replace('.000Z', 'Z');
  return {
    opening: turns.map(([role, content], index) => ({ role, content, time: at(index) })),
    longReply: { role: 'agent', content: longTestLog(), time: at(turns.length) },
  };
}

/** About 150 KB of test-runner output, ending with the lines that matter (the snapshot keeps the tail). */
function longTestLog(): string {
  const lines: string[] = [];
  for (let index = 1; index <= 1400; index += 1) {
    lines.push(`  ✓ calendar › formats case #${String(index).padStart(4, '0')} (東京, ${index % 7} ms) ────────`);
  }
  lines.push('', 'Test Files  42 passed (42)', '     Tests  418 passed (418)', 'All green ✅');
  return lines.join('\n');
}
