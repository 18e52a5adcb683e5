/** Everything the templates see under `contract` in their Handlebars context. */
import { LOG_LINES } from './log-lines.ts';
import {
  CODERD_BODY_LIMIT_BYTES,
  ENGINE_STATUS_CODES,
  SNAPSHOT_FORMAT,
  SNAPSHOT_ROUTE,
  TRUNCATION_MARKER_PREFIX,
  TRUNCATION_MARKER_SUFFIX,
} from './snapshot-api.ts';

export const templateContract = Object.freeze({
  logLines: LOG_LINES,
  snapshotRoute: SNAPSHOT_ROUTE,
  snapshotFormat: SNAPSHOT_FORMAT,
  coderdBodyLimitBytes: CODERD_BODY_LIMIT_BYTES,
  truncationMarkerPrefix: TRUNCATION_MARKER_PREFIX,
  truncationMarkerSuffix: TRUNCATION_MARKER_SUFFIX,
  engineStatus: ENGINE_STATUS_CODES,
});
