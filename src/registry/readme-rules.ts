/**
 * The rules the Coder registry's CI applies to a module's README.md (its README validator), written
 * from reading them: front matter keys and values, the icon's place, the body's headings, the usage
 * example of the title section, GitHub alerts. `moduleReadmeProblems` lists every broken rule as a
 * sentence; none means the registry would accept the README.
 */
import { parse as parseYaml } from 'yaml';

export const REGISTRY_ICON_PREFIX = '../../../../.icons/';

const FRONT_MATTER_KEYS = ['description', 'icon', 'display_name', 'verified', 'tags', 'supported_os', 'maintainer_github'];
const OPERATING_SYSTEMS = ['windows', 'macos', 'linux'];
const ALERT_TYPES = ['NOTE', 'IMPORTANT', 'CAUTION', 'WARNING', 'TIP'];
const FENCE = '```';

export interface ReadmeCheckOptions {
  /** Whether the icon exists, given its path relative to the registry's root (`.icons/NAME.svg`); unchecked when omitted. */
  iconExists?: (registryPath: string) => boolean;
}

export function moduleReadmeProblems(text: string, options: ReadmeCheckOptions = {}): string[] {
  const parts = splitFrontMatter(text);
  if (typeof parts === 'string') return [parts];
  const keyProblems = unknownKeys(parts.frontMatter);
  if (keyProblems.length > 0) return keyProblems;
  let matter: unknown;
  try {
    matter = parseYaml(parts.frontMatter);
  } catch (error) {
    return [`the front matter is not YAML: ${(error as Error).message.split('\n', 1)[0]}`];
  }
  return [...frontMatterProblems(isRecord(matter) ? matter : {}, options), ...bodyProblems(parts.body), ...titleSectionProblems(parts.body), ...alertProblems(parts.body)];
}

/** The front matter (each line trimmed) and the body (trimmed), or why there are none. */
function splitFrontMatter(text: string): { frontMatter: string; body: string } | string {
  if (text === '') return 'the README is empty';
  const lines = text.trim().split('\n');
  if (lines[0] !== '---') return 'the README must start with front matter between two "---" lines';
  const close = lines.indexOf('---', 1);
  if (close === -1) return 'the README does not have two "---" front matter fences';
  const frontMatter = lines.slice(1, close).map((line) => `${line.trim()}\n`).join('');
  if (frontMatter === '') return 'the front matter fences hold no front matter';
  return { frontMatter, body: lines.slice(close + 1).join('\n').trim() };
}

/** Each line `key: ...` must use a key the registry knows; lines without a colon (comments, list items) are skipped. */
function unknownKeys(frontMatter: string): string[] {
  return frontMatter
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => line.slice(0, line.indexOf(':')))
    .filter((key) => !FRONT_MATTER_KEYS.includes(key))
    .map((key) => `unknown front matter key "${key}" (known: ${FRONT_MATTER_KEYS.join(', ')})`);
}

function frontMatterProblems(matter: Record<string, unknown>, options: ReadmeCheckOptions): string[] {
  const problems: string[] = [];
  if (matter.display_name === '') problems.push('display_name, when given, must not be empty');
  if (typeof matter.description !== 'string' || matter.description === '') problems.push('the front matter needs a description');
  if (!Array.isArray(matter.tags)) problems.push('the front matter needs tags (a list, possibly empty)');
  else {
    const bad = matter.tags.map(String).filter((tag) => !/^[A-Za-z0-9_.~-]*$/.test(tag));
    if (bad.length > 0) problems.push(`tags must be usable in a URL as they are: ${bad.join(', ')}`);
  }
  const systems = Array.isArray(matter.supported_os) ? matter.supported_os.map(String) : [];
  for (const system of systems.filter((name) => !OPERATING_SYSTEMS.includes(name))) problems.push(`unknown supported_os "${system}" (known: ${OPERATING_SYSTEMS.join(', ')})`);
  problems.push(...iconProblems(matter.icon, options));
  return problems;
}

function iconProblems(icon: unknown, options: ReadmeCheckOptions): string[] {
  if (typeof icon !== 'string' || icon === '') return ['the front matter needs an icon'];
  if (/^https?:\/\//.test(icon)) return [`the icon must be a file of the registry's .icons/ directory, not the URL ${icon}`];
  if (!icon.startsWith(REGISTRY_ICON_PREFIX)) return [`the icon ${icon} must be in the registry's .icons/ directory, written as ${REGISTRY_ICON_PREFIX}NAME.svg`];
  const registryPath = `.icons/${icon.slice(REGISTRY_ICON_PREFIX.length)}`;
  if (options.iconExists !== undefined && !options.iconExists(registryPath)) return [`the icon ${registryPath} does not exist in the registry`];
  return [];
}

/** Headings outside code blocks: the body opens with the one `# ` title, levels step down one at a time, none past 6. */
function bodyProblems(body: string): string[] {
  if (body === '') return ['the README body is empty'];
  if (!body.startsWith('# ')) return ['the README body must start with its "# " title (nothing before it after the front matter)'];
  const problems: string[] = [];
  let level = 0;
  for (const line of outsideCode(body.split('\n'))) {
    const heading = /^(#+)(\s*)/.exec(line);
    if (heading === null) continue;
    const next = heading[1]!.length;
    if (heading[2] === '') problems.push(`heading "${line}" needs a space after its #`);
    if (next === 1 && level === 0) {
      level = 1;
      continue;
    }
    if (next === 1) return [...problems, `only one "# " title is allowed, found another: "${line}"`];
    if (next > 6) return [...problems, `heading "${line}" is deeper than level 6`];
    if (next > level + 1) {
      problems.push(`heading "${line}" skips a level (after level ${level})`);
      continue;
    }
    level = next;
  }
  return problems;
}

/** The lines a Markdown reader sees as text: fenced code blocks (``` at line start) left out. */
function outsideCode(lines: string[]): string[] {
  let inCode = false;
  return lines.filter((line) => {
    if (line.startsWith(FENCE)) {
      inCode = !inCode;
      return false;
    }
    return !inCode;
  });
}

/**
 * Between the title and the next heading: a paragraph, and exactly one ```tf usage example with a
 * `version =` line (the registry's rule) and a `source =` line (without it the example is no module call).
 */
function titleSectionProblems(body: string): string[] {
  const problems: string[] = [];
  let tfBlocks = 0;
  let hasVersion = false;
  let hasSource = false;
  let paragraph = false;
  let inCode = false;
  let inTf = false;
  for (const line of body.split('\n').slice(1)) {
    if (line.startsWith(FENCE)) {
      inCode = !inCode;
      inTf = inCode && line.startsWith('```tf');
      if (inTf) tfBlocks++;
      if (line.startsWith('```hcl')) problems.push('code blocks must be marked ```tf, not ```hcl');
      continue;
    }
    if (inCode) {
      hasVersion ||= inTf && /^\s*\bversion\s+=/.test(line);
      hasSource ||= inTf && /^\s*\bsource\s+=/.test(line);
      continue;
    }
    if (line.startsWith('#')) break;
    const trimmed = line.trim();
    paragraph ||= trimmed !== '' && !trimmed.startsWith('![') && !trimmed.startsWith('<');
  }
  if (tfBlocks === 0) problems.push('the title section (before the first "## ") has no ```tf usage example');
  if (tfBlocks > 1) problems.push('the title section may hold only one ```tf block');
  if (tfBlocks > 0 && !hasVersion) problems.push('the usage example has no `version = ...` line');
  if (tfBlocks > 0 && !hasSource) problems.push('the usage example has no `source = ...` line');
  if (!paragraph) problems.push('the title section has no paragraph of text');
  if (inCode) problems.push('a code block of the title section is never closed');
  return problems;
}

/** GitHub alerts (`> [!NOTE]`) as the registry's site renders them. */
function alertProblems(body: string): string[] {
  const problems: string[] = [];
  let inAlert = false;
  let last = '';
  for (const line of outsideCode(body.split('\n'))) {
    last = line;
    inAlert &&= line.startsWith('> ');
    const alert = /^>(\s*)\[!(\w+)\](\s*)(.*)/.exec(line);
    if (alert === null) continue;
    if (inAlert) {
      problems.push('alerts cannot be nested');
      continue;
    }
    inAlert = true;
    const [, before, type, after, rest] = alert as unknown as [string, string, string, string, string];
    if (before.length !== 1) problems.push(`alert "${line}" needs exactly one space after ">"`);
    if (!ALERT_TYPES.includes(type.toUpperCase())) problems.push(`alert type ${type} is not one of ${ALERT_TYPES.join(', ')}`);
    if (type !== type.toUpperCase()) problems.push(`alert type ${type} must be in capitals`);
    if (after !== '') problems.push(`alert "${line}" has whitespace after its "]"`);
    if (rest !== '') problems.push(`alert "${line}" has text on its own line; put it on the next`);
  }
  if (/^>(\s*)\[!(\w+)\]/.test(last)) problems.push('the README ends with an alert that has no text');
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
