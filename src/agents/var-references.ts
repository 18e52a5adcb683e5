/**
 * `${var.NAME}` in a spec's text fields (env values, start.command, start.promptArgs): the one
 * interpolation a spec has, split out so each field renders it in its own language (an HCL template
 * for env, a double-quoted shell expansion for the agent's argv).
 */

export type TextPart = { literal: string } | { variable: string };

/** Every `${...}` sequence; what is inside decides whether it is a variable reference. */
const INTERPOLATION = /\$\{([^}]*)\}/g;
const VARIABLE = /^var\.([a-z][a-z0-9_]*)$/;

export interface Interpolation {
  /** The whole `${...}` as written. */
  text: string;
  /** The variable's name when it is `${var.NAME}`, else undefined (an interpolation a spec cannot have). */
  variable: string | undefined;
}

export function interpolations(text: string): Interpolation[] {
  return [...text.matchAll(INTERPOLATION)].map((match) => ({ text: match[0], variable: VARIABLE.exec(match[1]!.trim())?.[1] }));
}

/** The text as literal runs and variable references, in order (empty literals left out). */
export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(INTERPOLATION)) {
    const variable = VARIABLE.exec(match[1]!.trim())?.[1];
    if (variable === undefined) continue;
    if (match.index > at) parts.push({ literal: text.slice(at, match.index) });
    parts.push({ variable });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ literal: text.slice(at) });
  return parts;
}
