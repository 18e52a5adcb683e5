import { generateConversation } from './generate-conversation.ts';
import type { MessageInput } from './types.ts';

export const PRESET_NAMES = ['empty', 'short', 'multibyte', 'long', 'huge'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** `huge` when no size is given: thousands of messages and megabytes, as real long tasks reach. */
export const DEFAULT_HUGE = { count: 2000, size: 1024 } as const;

const START = Date.parse('2025-06-01T10:00:00Z');

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function presetConversation(name: PresetName, huge: { count: number; size: number } = DEFAULT_HUGE): MessageInput[] {
  switch (name) {
    case 'empty':
      return [];
    case 'short':
      return timed(SHORT);
    case 'multibyte':
      return timed(MULTIBYTE);
    case 'long':
      return timed([['user', 'Run the whole test suite and show me the output.'], ['agent', longAgentOutput(200 * 1024)]]);
    case 'huge':
      return generateConversation(huge);
  }
}

const SHORT: Array<[MessageInput['role'], string]> = [
  ['user', 'Add a --dry-run flag to the deploy script.'],
  ['agent', 'I will add the flag to scripts/deploy.sh and print each command instead of running it.'],
  ['user', 'Also document it in the README.'],
  ['agent', 'Done: the flag is parsed in parse_args, and README.md has a new "Dry run" section.'],
  ['user', 'Thanks!'],
];

/** Everything a naive encoder or a byte-cutting truncation gets wrong, one message each. */
const MULTIBYTE: Array<[MessageInput['role'], string]> = [
  ['user', '東京の天気を調べて、結果を表にしてください。'],
  ['agent', '┌────────┬──────┐\n│ 都市   │ 天気 │\n├────────┼──────┤\n│ 東京   │ 晴れ │\n└────────┴──────┘'],
  ['user', 'Emoji: 👍🏽 👨‍👩‍👧‍👦 🇯🇵 🚀 and astral 𝄞 𠜎'],
  ['agent', 'Quotes "double" \'single\' `back`, backslashes \\ \\\\ \\n (literal), HTML <b>&amp;</b> & <script>'],
  ['agent', 'Control chars: \u0000 NUL, \u0001 SOH, \u001b[31mred\u001b[0m, tab\there, CR\r\nLF, DEL \u007f, LS \u2028 PS \u2029, BOM \ufeff'],
  ['user', 'Ünïcödé naïve café — “smart quotes” … ½ ∑ √ ∞ ≠ ≤'],
];

function timed(turns: Array<[MessageInput['role'], string]>): MessageInput[] {
  return turns.map(([role, content], index) => ({ role, content, time: new Date(START + index * 61_000).toISOString().replace('.000Z', 'Z') }));
}

/** Test-runner-like output of at least `bytes` UTF-8 bytes, multibyte on every line, ending with the summary. */
function longAgentOutput(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let index = 1; size < bytes; index += 1) {
    const line = `│ ✓ case ${String(index).padStart(5, '0')} 東京 ─ passed in ${index % 97} ms 🚀`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  lines.push('└─ Tests: all passed ✅');
  return lines.join('\n');
}
