/** Diagnostics as the protocol carries them: severity, summary, detail, and the attribute's path. */

export type PathStep = { attribute_name: string } | { element_key_int: number } | { element_key_string: string };

export interface ProtoDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: PathStep[] };
}

export function errorDiagnostic(summary: string, detail = '', path?: PathStep[]): ProtoDiagnostic {
  return { severity: 'ERROR', summary, detail, ...(path === undefined ? {} : { attribute: { steps: path } }) };
}

export function attributePath(...names: Array<string | number>): PathStep[] {
  return names.map((name) => (typeof name === 'number' ? { element_key_int: name } : { attribute_name: name }));
}
