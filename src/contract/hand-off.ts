/**
 * The coder_script hand-off: how a body carries a script to /bin/sh. This file is its one owner:
 * the template gets the Terraform text of both bodies from here (`contract.handOff`), the harness
 * writes bodies with `handOffBody` and reads them with `readHandOff`, the only decoder.
 *
 * The Coder agent runs a body as one argument of `<login shell> -c <body>` (with a `#!` first line,
 * of that interpreter's `-c`), so the body is never a file: Linux refuses a single argument longer
 * than MAX_ARG_STRLEN with E2BIG. No encoding inside the body can lift that bound; the module checks
 * it at plan time instead (`precondition` on each coder_script), so an oversized input fails
 * `terraform plan` with a sentence, not every start with `Argument list too long`.
 */

/** Linux's bound on one argv or environment string, its terminating NUL included (32 pages of 4 KiB). */
export const MAX_ARG_STRLEN = 131_072;

/** The longest body the kernel lets the agent pass: one byte goes to the NUL. */
export const MAX_BODY_BYTES = MAX_ARG_STRLEN - 1;

/** What /bin/sh runs: `$0` names the script for diagnostics, `$1` is the base64 payload, cleared by `set --`. */
export const HAND_OFF_COMMAND = 'eval "set --; $(printf %s "$1" | base64 -d)"';

/** Everything in a body before the script's file name. */
const BODY_PREFIX = `/bin/sh -c '${HAND_OFF_COMMAND}' `;

/** A script's file name: letters, digits and `._-`, inert in every shell (fish included). */
const FILE_NAME = /^[A-Za-z0-9._-]+$/;

/** The exact shape of a body: the hand-off, the file name, then base64 (inert in every shell). */
const BODY_PATTERN = new RegExp(`^${BODY_PREFIX.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([A-Za-z0-9._-]+) ([A-Za-z0-9+/]*={0,2})$`);

export interface HandOff {
  /** `$0` of the script: the name its shell diagnostics start with. */
  fileName: string;
  /** The text /bin/sh evaluates: the ARG_* assignments, then the script file. */
  payload: string;
}

/** The body for `payload` under `fileName`, byte for byte what main.tf renders for the same text. */
export function handOffBody(fileName: string, payload: string): string {
  checkFileName(fileName);
  return `${BODY_PREFIX}${fileName} ${Buffer.from(payload, 'utf8').toString('base64')}`;
}

/** The file name and payload of a body; throws unless the body has exactly the hand-off's shape. */
export function readHandOff(body: string): HandOff {
  const [fileName, base64] = matchBody(body);
  return { fileName, payload: Buffer.from(base64, 'base64').toString('utf8') };
}

/** The argv /bin/sh (or a shell standing in for it) gets from a body: `-c`, the command, `$0`, `$1`. */
export function handOffArgv(body: string): string[] {
  return ['-c', HAND_OFF_COMMAND, ...matchBody(body)];
}

/** The file name and the base64 word of a body in exactly the hand-off's shape (padded base64 included). */
function matchBody(body: string): [string, string] {
  const match = BODY_PATTERN.exec(body);
  if (match === null || (match[2] ?? '').length % 4 !== 0) {
    throw new Error(`coder_script body does not have the shape ${BODY_PREFIX}<name> <base64>: ${JSON.stringify(body.slice(0, 120))}`);
  }
  return [match[1] ?? '', match[2] ?? ''];
}

/** A payload split into the ARG_* assignments and the script file it ends with. */
export function splitPayload(payload: string, scriptText: string): { inputs: string; script: string } {
  if (!payload.endsWith(scriptText)) throw new Error('coder_script payload does not end with the script file');
  return { inputs: payload.slice(0, payload.length - scriptText.length), script: scriptText };
}

/** The sentence `terraform plan` fails with when a body would pass the kernel's bound. */
export function bodyLimitMessage(what: string, inputs: string): string {
  return (
    `The ${what} coder_script would be longer than ${MAX_BODY_BYTES} bytes, the most Linux passes as one argument ` +
    `(the Coder agent runs a script as one argument of "<shell> -c"). Its body carries ${inputs} base64-encoded ` +
    `(4 bytes for every 3). Shorten them, or have the script fetch large content at run time.`
  );
}

/**
 * The Terraform text (a quoted HCL template) of a body whose payload is the HCL template
 * `payloadTemplate` (e.g. `${local.start_inputs}${local.start_script_file}`): what main.tf writes,
 * so its bytes and `handOffBody`'s are the same for the same payload.
 */
export function handOffTerraform(fileName: string, payloadTemplate: string): string {
  checkFileName(fileName);
  return `"${hclLiteral(BODY_PREFIX)}${fileName} \${base64encode("${payloadTemplate}")}"`;
}

/** Text for inside an HCL quoted template: backslashes and quotes escaped; no template sequences. */
function hclLiteral(text: string): string {
  if (/[$%]\{/.test(text)) throw new Error(`hand-off text must not contain a template sequence: ${text}`);
  return text.replace(/[\\"]/g, (char) => `\\${char}`);
}

function checkFileName(fileName: string): void {
  if (!FILE_NAME.test(fileName)) throw new Error(`script file name "${fileName}" is not letters, digits and ._- only`);
}
