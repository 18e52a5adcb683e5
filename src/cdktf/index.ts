// The CDKTF entry point of agentapi-kit. Importing it needs the optional peers cdktf and constructs.
export { AgentapiModule } from './agentapi-module.ts';
export { AGENTAPI_MODULE_VARIABLES, AgentapiModulePropsError, propTable, toModuleVariables, type PropSpec } from './check-props.ts';
export {
  DEFAULT_MODULE_SOURCE,
  type AgentapiModuleOptions,
  type AgentapiModulePropName,
  type AgentapiModuleProps,
  type AgentapiModuleVariables,
} from './props.ts';
