/**
 * A stand-in for kreuzwerker/docker, only so `terraform validate` can check a template that also
 * uses Docker (examples/task-template) offline. It is a subset: the two resources the example
 * uses, with the attributes it sets plus the common ones, typed as kreuzwerker/docker 3.x declares
 * them. Anything else fails validation as unknown, so it is opt-in (`terraform-env --docker-stand-in`).
 */
import { ID } from './coder-resources.ts';
import type { AttributeSpec, BlockSpec, NestedBlockSpec, ProviderSpec } from './schema-spec.ts';

const a = (type: AttributeSpec['type'], kind: AttributeSpec['kind'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type, kind, ...extra });

const labels: NestedBlockSpec = { nesting: 'set', block: { attributes: { label: a('string', 'required'), value: a('string', 'required') } } };

const volume: BlockSpec = {
  attributes: {
    id: ID,
    name: a('string', 'optional-computed'),
    driver: a('string', 'optional-computed'),
    driver_opts: a(['map', 'string'], 'optional'),
    mountpoint: a('string', 'computed'),
  },
  blocks: { labels },
};

const container: BlockSpec = {
  attributes: {
    id: ID,
    image: a('string', 'required'),
    name: a('string', 'required'),
    hostname: a('string', 'optional-computed'),
    user: a('string', 'optional-computed'),
    entrypoint: a(['list', 'string'], 'optional-computed'),
    command: a(['list', 'string'], 'optional-computed'),
    env: a(['set', 'string'], 'optional-computed'),
    working_dir: a('string', 'optional-computed'),
    destroy_grace_seconds: a('number', 'optional'),
    stop_timeout: a('number', 'optional-computed'),
    stop_signal: a('string', 'optional-computed'),
    restart: a('string', 'optional', { default: 'no' }),
    must_run: a('bool', 'optional', { default: true }),
    start: a('bool', 'optional', { default: true }),
    privileged: a('bool', 'optional'),
    network_mode: a('string', 'optional-computed'),
    runtime: a('string', 'optional-computed'),
    exit_code: a('number', 'computed'),
  },
  blocks: {
    host: { nesting: 'set', block: { attributes: { host: a('string', 'required'), ip: a('string', 'required') } } },
    volumes: {
      nesting: 'set',
      block: {
        attributes: {
          container_path: a('string', 'optional'),
          from_container: a('string', 'optional'),
          host_path: a('string', 'optional'),
          read_only: a('bool', 'optional'),
          volume_name: a('string', 'optional'),
        },
      },
    },
    ports: {
      nesting: 'list',
      block: { attributes: { internal: a('number', 'required'), external: a('number', 'optional-computed'), ip: a('string', 'optional'), protocol: a('string', 'optional', { default: 'tcp' }) } },
    },
    labels,
  },
};

export const DOCKER_PROVIDER: ProviderSpec = {
  provider: { attributes: { host: a('string', 'optional') } },
  resources: { docker_volume: { block: volume }, docker_container: { block: container, version: 2 } },
  dataSources: {},
};
