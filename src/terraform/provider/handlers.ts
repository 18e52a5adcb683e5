/**
 * The provider's RPCs over a ProviderSpec: schema, validation, plan/apply, reads. Requests and
 * responses are the plain objects @grpc/proto-loader gives (snake_case fields, enums as names).
 */
import { accessUrl } from './coder-provider.ts';
import { decodeDynamic, type DynamicValue, encodeDynamic } from './codec.ts';
import { errorDiagnostic, type ProtoDiagnostic } from './diagnostics.ts';
import { applyResource, planResource } from './plan.ts';
import type { BlockSpec, ProviderContext, ProviderEnv, ProviderSpec } from './schema-spec.ts';
import { toProtoSchema } from './to-proto-schema.ts';
import { validateBlock } from './validate.ts';
import { isObject, type Value } from './values.ts';

type Request = Record<string, unknown> & { type_name?: string };
export type Handler = (request: Request) => object;

function dynamic(request: Request, field: string): Value {
  return decodeDynamic(request[field] as DynamicValue | undefined);
}

function unknownType(kind: string, name: string | undefined): { diagnostics: ProtoDiagnostic[] } {
  return { diagnostics: [errorDiagnostic(`unknown ${kind} type ${JSON.stringify(name)}`, 'The agentapi-kit stand-in models only what the module, its examples and tests use.')] };
}

export function providerHandlers(spec: ProviderSpec, env: ProviderEnv): Record<string, Handler> {
  const ctx: ProviderContext = { env, url: accessUrl(undefined, env) };
  const resource = (name: string | undefined) => (name === undefined ? undefined : spec.resources[name]);
  const dataSource = (name: string | undefined) => (name === undefined ? undefined : spec.dataSources[name]);
  const mapSchemas = (entries: Record<string, { block: BlockSpec; version?: number }>) =>
    Object.fromEntries(Object.entries(entries).map(([name, item]) => [name, toProtoSchema(item.block, item.version ?? 0)]));

  return {
    GetProviderSchema: () => ({
      provider: toProtoSchema(spec.provider),
      resource_schemas: mapSchemas(spec.resources),
      data_source_schemas: mapSchemas(spec.dataSources),
      diagnostics: [],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    }),
    ValidateProviderConfig: (request) => ({ diagnostics: validateBlock(spec.provider, dynamic(request, 'config')) }),
    ValidateResourceConfig: (request) => {
      const found = resource(request.type_name);
      return found === undefined ? unknownType('resource', request.type_name) : { diagnostics: validateBlock(found.block, dynamic(request, 'config')) };
    },
    ValidateDataResourceConfig: (request) => {
      const found = dataSource(request.type_name);
      return found === undefined ? unknownType('data source', request.type_name) : { diagnostics: validateBlock(found.block, dynamic(request, 'config')) };
    },
    ConfigureProvider: (request) => {
      const config = dynamic(request, 'config');
      ctx.url = accessUrl(isObject(config) ? config.url : undefined, env);
      return { diagnostics: [] };
    },
    UpgradeResourceState: (request) => {
      const found = resource(request.type_name);
      if (found === undefined) return unknownType('resource', request.type_name);
      const raw = (request.raw_state as { json?: Buffer } | undefined)?.json;
      const state = raw === undefined || raw.length === 0 ? null : (JSON.parse(raw.toString('utf8')) as Value);
      return { upgraded_state: encodeDynamic(state, found.block), diagnostics: [] };
    },
    ReadResource: (request) => {
      const found = resource(request.type_name);
      if (found === undefined) return unknownType('resource', request.type_name);
      return { new_state: encodeDynamic(dynamic(request, 'current_state'), found.block), private: request.private, diagnostics: [] };
    },
    PlanResourceChange: (request) => {
      const found = resource(request.type_name);
      if (found === undefined) return unknownType('resource', request.type_name);
      const change = planResource(found, dynamic(request, 'prior_state'), dynamic(request, 'proposed_new_state'));
      return {
        planned_state: encodeDynamic(change.planned, found.block),
        requires_replace: change.requiresReplace,
        planned_private: request.prior_private,
        diagnostics: [],
        legacy_type_system: true,
      };
    },
    ApplyResourceChange: (request) => {
      const found = resource(request.type_name);
      if (found === undefined) return unknownType('resource', request.type_name);
      const { state, error } = applyResource(found, dynamic(request, 'planned_state'), ctx);
      return {
        new_state: encodeDynamic(error === undefined ? state : dynamic(request, 'prior_state'), found.block),
        private: request.planned_private,
        diagnostics: error === undefined ? [] : [errorDiagnostic(error)],
        legacy_type_system: true,
      };
    },
    ReadDataSource: (request) => {
      const found = dataSource(request.type_name);
      if (found === undefined) return unknownType('data source', request.type_name);
      const config = dynamic(request, 'config');
      const values = found.read(isObject(config) ? config : {}, ctx);
      if (typeof values === 'string') return { state: encodeDynamic(config, found.block), diagnostics: [errorDiagnostic(values)] };
      return { state: encodeDynamic({ ...(isObject(config) ? config : {}), ...values }, found.block), diagnostics: [] };
    },
    StopProvider: () => ({ Error: '' }),
  };
}
