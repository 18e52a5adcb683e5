/**
 * The `ARG_*` assignments in front of a script in a coder_script body, read back: each is
 * `NAME='value'`, the value POSIX single-quoted (a `'` written as `'\''`), one per line, values
 * possibly spanning lines (scripts). Reading stops at the first line that is not an assignment
 * (the script's `#!`).
 */
export interface ArgAssignment {
  name: string;
  value: string;
}

export function parseArgAssignments(text: string): { assignments: ArgAssignment[]; rest: string } {
  const assignments: ArgAssignment[] = [];
  let at = 0;
  for (;;) {
    const head = /^([A-Z_][A-Z0-9_]*)='/.exec(text.slice(at));
    if (head === null) break;
    let cursor = at + head[0].length;
    let value = '';
    for (;;) {
      const close = text.indexOf("'", cursor);
      if (close < 0) throw new Error(`unterminated value of ${head[1]} in the script's inputs`);
      value += text.slice(cursor, close);
      if (text.startsWith("'\\''", close)) {
        value += "'";
        cursor = close + 4;
        continue;
      }
      cursor = close + 1;
      break;
    }
    assignments.push({ name: head[1] as string, value });
    if (text[cursor] === '\n') cursor += 1;
    at = cursor;
  }
  return { assignments, rest: text.slice(at) };
}
