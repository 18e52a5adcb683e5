/** Everything the templates see under `contract` in their Handlebars context. */
import { bodyLimitMessage, handOffTerraform, MAX_BODY_BYTES } from './hand-off.ts';
import { LOG_LINES } from './log-lines.ts';
import {
  CODERD_BODY_LIMIT_BYTES,
  ENGINE_STATUS_CODES,
  ENGINE_WINDOW_FALLBACK_STATUS,
  SNAPSHOT_FORMAT,
  SNAPSHOT_ROUTE,
  SNAPSHOT_ROUTE_AFTER_TASK,
  SNAPSHOT_ROUTE_BEFORE_TASK,
  TRUNCATION_MARKER_PREFIX,
  TRUNCATION_MARKER_SUFFIX,
} from './snapshot-api.ts';

export const templateContract = Object.freeze({
  logLines: LOG_LINES,
  snapshotRoute: SNAPSHOT_ROUTE,
  snapshotRouteBeforeTask: SNAPSHOT_ROUTE_BEFORE_TASK,
  snapshotRouteAfterTask: SNAPSHOT_ROUTE_AFTER_TASK,
  snapshotFormat: SNAPSHOT_FORMAT,
  coderdBodyLimitBytes: CODERD_BODY_LIMIT_BYTES,
  truncationMarkerPrefix: TRUNCATION_MARKER_PREFIX,
  truncationMarkerSuffix: TRUNCATION_MARKER_SUFFIX,
  /** The coder_script bodies as Terraform text, and the kernel's bound main.tf checks them against. */
  handOff: Object.freeze({
    startBody: handOffTerraform('agentapi-start.sh', '${local.start_inputs}${local.start_script_file}'),
    shutdownBody: handOffTerraform('agentapi-shutdown.sh', '${local.shutdown_inputs}${local.shutdown_script_file}'),
    maxBodyBytes: MAX_BODY_BYTES,
    startLimitMessage: bodyLimitMessage('start', 'pre_install_script, install_script, post_install_script, start_script (in an agent module, the task prompt too) and the module\'s start script'),
    shutdownLimitMessage: bodyLimitMessage('shutdown', "the module's inputs and shutdown script"),
  }),
  /** camelCase, so templates can write `contract.engineStatus.notJson`. */
  engineStatus: Object.freeze({
    ok: ENGINE_STATUS_CODES.ok,
    empty: ENGINE_STATUS_CODES.empty,
    noMessages: ENGINE_STATUS_CODES['no-messages'],
    notArray: ENGINE_STATUS_CODES['not-array'],
    tooLarge: ENGINE_STATUS_CODES['too-large'],
    notJson: ENGINE_STATUS_CODES['not-json'],
    windowFallback: ENGINE_WINDOW_FALLBACK_STATUS,
  }),
});
