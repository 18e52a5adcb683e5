/**
 * Serves a provider the way Terraform starts plugins (HashiCorp go-plugin): a gRPC server on a
 * loopback port with mutual TLS, announced by one handshake line on stdout,
 * `1|6|tcp|127.0.0.1:<port>|grpc|<server certificate, DER, base64 without padding>`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { makeServerCertificate } from './certificate.ts';
import type { Handler } from './handlers.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE_PROTOCOL_VERSION = 1;
const PROVIDER_PROTOCOL_VERSION = 6;
/** Terraform sets this so a plugin binary run by hand can say what it is instead of hanging. */
const MAGIC_COOKIE = ['TF_PLUGIN_MAGIC_COOKIE', 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2'] as const;

type GrpcObject = grpc.GrpcObject & Record<string, any>;

function loadProto(file: string): GrpcObject {
  const definition = protoLoader.loadSync(join(HERE, file), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  return grpc.loadPackageDefinition(definition) as GrpcObject;
}

function unary(handler: Handler): grpc.handleUnaryCall<Record<string, unknown>, object> {
  return (call, callback) => {
    try {
      callback(null, handler(call.request));
    } catch (error) {
      process.stderr.write(`stand-in provider: ${(error as Error).stack ?? String(error)}\n`);
      callback({ code: grpc.status.INTERNAL, message: (error as Error).message });
    }
  };
}

/** Starts serving; resolves once the handshake line is written. Returns an error text when not run by Terraform. */
export async function servePlugin(handlers: Record<string, Handler>, env = process.env): Promise<string | undefined> {
  if (env[MAGIC_COOKIE[0]] !== MAGIC_COOKIE[1]) return 'This is a Terraform provider plugin (the agentapi-kit stand-in for coder/coder); Terraform starts it, it is not meant to be run directly.';
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROVIDER_PROTOCOL_VERSION)).split(',');
  if (!versions.includes(String(PROVIDER_PROTOCOL_VERSION))) return `Terraform offers plugin protocol versions ${versions.join(', ')}; the stand-in speaks only ${PROVIDER_PROTOCOL_VERSION}.`;

  const server = new grpc.Server();
  const provider = loadProto('tfplugin6.proto');
  server.addService(provider.tfplugin6.Provider.service, Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, unary(handler)])));
  const controller = loadProto('go-plugin.proto');
  server.addService(controller.plugin.GRPCController.service, {
    Shutdown: unary(() => {
      setImmediate(() => server.tryShutdown(() => process.exit(0)));
      return {};
    }),
  });
  const health = loadProto('health.proto');
  server.addService(health.grpc.health.v1.Health.service, { Check: unary(() => ({ status: 'SERVING' })) });

  const clientCert = env.PLUGIN_CLIENT_CERT;
  const certificate = clientCert ? makeServerCertificate() : undefined;
  const credentials =
    clientCert && certificate
      ? grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(certificate.keyPem), cert_chain: Buffer.from(certificate.certPem) }], true)
      : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
  const cert = certificate === undefined ? '' : certificate.certDer.toString('base64').replace(/=+$/, '');
  process.stdout.write(`${CORE_PROTOCOL_VERSION}|${PROVIDER_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc|${cert}\n`);
  return undefined;
}
