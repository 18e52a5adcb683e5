// The CDKTF entry point of agentapi-kit. Importing it needs the optional peers cdktf and constructs.
export {
  AGENTAPI_MODULE_VARIABLES,
  AgentapiModule,
  AgentapiModulePropsError,
  DEFAULT_MODULE_SOURCE,
  toModuleVariables,
  type AgentapiModuleOptions,
  type AgentapiModulePropName,
  type AgentapiModuleProps,
  type AgentapiModuleVariables,
} from './agentapi-module.ts';
