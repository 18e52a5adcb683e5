/**
 * The query checks of the log-snapshot route, as coderd's QueryParamParser runs them:
 * `format` is required and non-empty (judged on its first value), may appear only once, and no
 * other key may be present. Every problem becomes one validation entry.
 */
export interface Validation {
  field: string;
  detail: string;
}

export function validateSnapshotQuery(query: Map<string, string[]>): { format: string; validations: Validation[] } {
  const validations: Validation[] = [];
  const values = query.get('format');
  let format = '';
  if (values === undefined || values[0] === '') {
    validations.push({ field: 'format', detail: 'Query param "format" is required and cannot be empty' });
  } else if (values.length > 1) {
    validations.push({
      field: 'format',
      detail: `Query param "format" provided more than once, found ${values.length} times. Only provide 1 instance of this query param.`,
    });
  } else {
    format = values[0] as string;
  }
  for (const key of query.keys()) {
    if (key !== 'format') validations.push({ field: key, detail: `${JSON.stringify(key)} is not a valid query param` });
  }
  return { format, validations };
}
