/**
 * The rules of the module's variables, each written once: the Terraform condition and the same rule
 * in TypeScript. test/module/validations.property.test.ts evaluates both on random values.
 */
import type { Validation } from './types.ts';

/** Upper bound of every timeout: the shutdown script's centisecond arithmetic stays far inside mksh's 32 bits. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** A semantic version `vX.Y.Z`; anything else (a branch, `latest`) is not judged. */
const SEMVER = '^v\\d+\\.\\d+\\.\\d+$';

/**
 * A semantic version >= v0.3.3, the first AgentAPI release that reads its chat base path from the
 * environment (agentapi_subdomain = false). RE2 and JavaScript read it alike (`\\d` is ASCII in both).
 */
export const SUBDOMAIN_FALSE_MIN_VERSION_EXPR = '^v(0\\.(3\\.[3-9]|3\\.[1-9]\\d+|[4-9]\\.\\d+|[1-9]\\d+\\.\\d+)|[1-9]\\d*\\.\\d+\\.\\d+)$';

const TIMEOUT_COMMENT = [
  'The script reads whole seconds only (anything else silently becomes the default); 3600 keeps',
  "its centisecond arithmetic far inside mksh's 32 bits. try(): null fails the check, not the plan.",
];

/**
 * A timeout of the shutdown script: whole seconds, 0 (skip the step) to 3600. `withComment` puts the
 * reason above the first of them in main.tf.
 */
export function wholeSeconds(name: string, withComment = false): Validation {
  const ref = `var.${name}`;
  return {
    condition: `try(${ref} >= 0 && ${ref} <= ${MAX_TIMEOUT_SECONDS} && floor(${ref}) == ${ref}, false)`,
    errorMessage: `${name} must be a whole number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}.`,
    ...(withComment ? { comment: TIMEOUT_COMMENT } : {}),
    accepts: (value: number) => Number.isInteger(value) && value >= 0 && value <= MAX_TIMEOUT_SECONDS,
  };
}

/** agentapi_subdomain = false needs AgentAPI >= v0.3.3; a version that is not semantic is allowed. */
export const subdomainNeedsVersion: Validation = {
  condition: [
    'var.agentapi_subdomain || (',
    '  # A version that is not semantic (a branch, "latest") is allowed; Terraform\'s || does not short-circuit.',
    '  can(regex("^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", var.agentapi_version)) ?',
    '  can(regex(local.agentapi_subdomain_false_min_version_expr, var.agentapi_version)) :',
    '  true',
    ')',
  ].join('\n'),
  errorMessage: 'Running with subdomain = false is only supported by agentapi >= v0.3.3.',
  references: ['agentapi_version'],
  accepts: (value: boolean, others) => {
    const version = others.agentapi_version;
    if (typeof version !== 'string') return true;
    return value || !new RegExp(SEMVER).test(version) || new RegExp(SUBDOMAIN_FALSE_MIN_VERSION_EXPR).test(version);
  },
};

/** A TCP port AgentAPI can listen on. */
export function port(name: string): Validation {
  const ref = `var.${name}`;
  return {
    condition: `try(${ref} >= 1 && ${ref} <= 65535 && floor(${ref}) == ${ref}, false)`,
    errorMessage: `${name} must be a whole number from 1 to 65535.`,
    accepts: (value: number) => Number.isInteger(value) && value >= 1 && value <= 65535,
  };
}

/** A position in Coder's app list (an integer), or null for none. */
export function order(name: string): Validation {
  const ref = `var.${name}`;
  return {
    condition: `${ref} == null || try(floor(${ref}) == ${ref}, false)`,
    errorMessage: `${name} must be a whole number or null.`,
    accepts: (value: number | null) => value === null || Number.isInteger(value),
  };
}

/** Coder's app slug rule (terraform-provider-coder checks the same pattern when the app exists). */
const SLUG = '^[a-z0-9](-?[a-z0-9])*$';

/**
 * An app slug, checked only when `enabledBy` creates the app: with the app off, the registry module
 * accepts any slug, and a drop-in must too.
 */
export function slugWhenEnabled(name: string, enabledBy: string): Validation {
  return {
    condition: `!var.${enabledBy} || can(regex("${SLUG}", var.${name}))`,
    errorMessage: `${name} must be lowercase letters, digits and single dashes, like "claude-cli" (${enabledBy} is true).`,
    references: [enabledBy],
    accepts: (value: string | null, others) => others[enabledBy] !== true || (value !== null && new RegExp(SLUG).test(value)),
  };
}

/** Compiling boundary and installing its release are two ways to get it; the registry silently picks the first. */
export const oneBoundarySource: Validation = {
  condition: '!(var.use_boundary_directly && var.compile_boundary_from_source)',
  errorMessage: 'compile_boundary_from_source and use_boundary_directly are two ways to get boundary: set at most one of them to true.',
  references: ['compile_boundary_from_source'],
  accepts: (value: boolean, others) => !(value && others.compile_boundary_from_source === true),
};

/**
 * A boundary that is compiled or installed needs a version (a git ref, or a release or "latest");
 * the `coder boundary` subcommand does not read it.
 */
export const boundaryVersionWhenDownloaded: Validation = {
  condition: '!(var.enable_boundary && (var.compile_boundary_from_source || var.use_boundary_directly)) || var.boundary_version != ""',
  errorMessage:
    'boundary_version must not be empty when boundary is compiled (compile_boundary_from_source) or installed (use_boundary_directly): give a git ref, a release or "latest".',
  references: ['enable_boundary', 'compile_boundary_from_source', 'use_boundary_directly'],
  accepts: (value: string | null, others) =>
    !(others.enable_boundary === true && (others.compile_boundary_from_source === true || others.use_boundary_directly === true)) || value !== '',
};
