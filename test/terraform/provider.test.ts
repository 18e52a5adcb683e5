import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { integer, makeServerCertificate } from '../../src/terraform/provider/certificate.ts';
import { decodeDynamic, encodeDynamic } from '../../src/terraform/provider/codec.ts';
import { CODER_PROVIDER } from '../../src/terraform/provider/coder-provider.ts';
import { providerHandlers } from '../../src/terraform/provider/handlers.ts';
import { UNKNOWN, type ObjectValue } from '../../src/terraform/provider/values.ts';

const TASK = '7d8d4c2e-fb57-44f9-a183-22509819c2e7';
const script = CODER_PROVIDER.resources.coder_script!;

function call(env: Record<string, string>, rpc: string, request: Record<string, unknown>) {
  return providerHandlers(CODER_PROVIDER, env)[rpc]!(request) as Record<string, any>;
}

function readData(type: string, env: Record<string, string>): ObjectValue {
  const block = CODER_PROVIDER.dataSources[type]!.block;
  const response = call(env, 'ReadDataSource', { type_name: type, config: encodeDynamic({}, block) });
  expect(response.diagnostics).toEqual([]);
  return decodeDynamic(response.state) as ObjectValue;
}

describe('stand-in Coder provider', () => {
  it('round-trips unknown values as msgpack extension 0 and fills every attribute', () => {
    const encoded = encodeDynamic({ id: UNKNOWN, agent_id: 'a' }, script.block);
    expect(Buffer.from(encoded.msgpack!).includes(Buffer.from([0xd4, 0x00, 0x00]))).toBe(true); // fixext1, type 0
    const decoded = decodeDynamic(encoded) as ObjectValue;
    expect(decoded.id).toBe(UNKNOWN);
    expect(Object.keys(decoded).sort()).toEqual(Object.keys(script.block.attributes).sort());
  });

  it('reads coder_task from CODER_TASK_ID: a random UUID and enabled = false outside a task', () => {
    const outside = readData('coder_task', {});
    expect(outside.enabled).toBe(false);
    expect(outside.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readData('coder_task', { CODER_TASK_ID: '00000000-0000-0000-0000-000000000000' }).enabled).toBe(false);
    expect(readData('coder_task', { CODER_TASK_ID: TASK, CODER_TASK_PROMPT: 'fix it' })).toEqual({ id: TASK, enabled: true, prompt: 'fix it' });
  });

  it('reads the workspace and its owner from the provisioner environment, with the real defaults', () => {
    expect(readData('coder_workspace', {})).toMatchObject({ name: 'default', transition: 'start', start_count: 1, access_port: 443 });
    expect(readData('coder_workspace', { CODER_WORKSPACE_NAME: 'dev', CODER_WORKSPACE_TRANSITION: 'stop' })).toMatchObject({ name: 'dev', start_count: 0 });
    expect(readData('coder_workspace_owner', {})).toMatchObject({ name: 'default', email: 'default@example.com', groups: [] });
    expect(readData('coder_workspace_owner', { CODER_WORKSPACE_OWNER: 'alice', CODER_WORKSPACE_OWNER_GROUPS: '["devs"]' })).toMatchObject({ name: 'alice', groups: ['devs'] });
  });

  it('validates like the real provider: app slug, env name, cron, conflicting url and command', () => {
    const app = CODER_PROVIDER.resources.coder_app!.block;
    const bad = call({}, 'ValidateResourceConfig', { type_name: 'coder_app', config: encodeDynamic({ agent_id: 'a', slug: 'Bad--slug', url: 'http://x', command: 'y' }, app) });
    expect(bad.diagnostics.map((d: { summary: string }) => d.summary)).toEqual([expect.stringContaining('invalid "coder_app" slug'), 'Conflicting configuration arguments', 'Conflicting configuration arguments']);
    const env = CODER_PROVIDER.resources.coder_env!.block;
    expect(call({}, 'ValidateResourceConfig', { type_name: 'coder_env', config: encodeDynamic({ agent_id: 'a', name: '1X' }, env) }).diagnostics).toHaveLength(1);
    expect(call({}, 'ValidateResourceConfig', { type_name: 'coder_script', config: encodeDynamic({ agent_id: 'a', display_name: 'd', script: 's', cron: '* * * * *' }, script.block) }).diagnostics).toHaveLength(1);
  });

  it('plans computed IDs as unknown, fills defaults, and fails the apply of a script that never runs', () => {
    const proposed = encodeDynamic({ agent_id: 'a', display_name: 'd', script: 's', run_on_stop: true }, script.block);
    const plan = call({}, 'PlanResourceChange', { type_name: 'coder_script', proposed_new_state: proposed });
    const planned = decodeDynamic(plan.planned_state) as ObjectValue;
    expect(planned).toMatchObject({ id: UNKNOWN, run_on_start: false, start_blocks_login: false, timeout: 0 });
    const applied = decodeDynamic(call({}, 'ApplyResourceChange', { type_name: 'coder_script', planned_state: plan.planned_state }).new_state) as ObjectValue;
    expect(applied.id).toMatch(/^[0-9a-f-]{36}$/);
    const never = encodeDynamic({ agent_id: 'a', display_name: 'd', script: 's', id: UNKNOWN }, script.block);
    expect(call({}, 'ApplyResourceChange', { type_name: 'coder_script', planned_state: never }).diagnostics[0].summary).toBe('at least one of "run_on_start", "run_on_stop", or "cron" must be set');
  });

  it('encodes DER integers minimally (a random serial starting with 0x00 once broke TLS set-up)', () => {
    expect(integer(Buffer.from([0x00, 0x12, 0x34]))).toEqual(Buffer.from([0x02, 0x02, 0x12, 0x34]));
    expect(integer(Buffer.from([0x00, 0x00, 0x92]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x92]));
    expect(integer(Buffer.from([0x92]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x92]));
    expect(integer(Buffer.from([0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
  });

  it('makes a self-signed TLS certificate for localhost and 127.0.0.1', () => {
    const certificate = new X509Certificate(makeServerCertificate().certPem);
    expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
  });
});
