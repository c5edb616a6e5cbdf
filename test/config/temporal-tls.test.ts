/**
 * The start-up TLS check (process/temporal-tls.ts) against a stand-in frontend: Node's HTTP/2
 * server over TLS, with certificates from deploy/temporal/make-certs.sh (the script the proof
 * and docker-compose.tls.yml use). It is not a Temporal frontend: the real one, over mTLS, is
 * `npm run proof`'s; here only the handshake is judged, which is all the check does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadWorkerConfig, temporalConnectionOptions } from '../../config';
import { checkTemporalTls, tlsSources } from '../../process/temporal-tls';

const SCRIPT = path.resolve(__dirname, '../../deploy/temporal/make-certs.sh');
let dir: string;
const closers: (() => void)[] = [];

/** A CA and its server and client certificates, in `dir/name`. */
function certs(name: string, serverNames?: string): string {
  const out = path.join(dir, name);
  execFileSync('sh', [SCRIPT, out], {
    env: { PATH: process.env.PATH, ...(serverNames && { CERT_SERVER_NAMES: serverNames }) },
  });
  return out;
}

/** A TLS HTTP/2 server with `ca`'s server certificate; mTLS against `clientCa` when given. */
async function frontend(ca: string, clientCa?: string): Promise<string> {
  const server = http2.createSecureServer({
    key: readFileSync(path.join(ca, 'server.key')),
    cert: readFileSync(path.join(ca, 'server.pem')),
    ...(clientCa && {
      ca: readFileSync(path.join(clientCa, 'ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
    }),
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The worker's variables as an operator sets them, checked the way the worker checks them. */
async function check(address: string, files: string, extra: Record<string, string> = {}) {
  const config = loadWorkerConfig({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(files, 'ca.pem'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(files, 'client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(files, 'client.key'),
    ...extra,
  });
  return checkTemporalTls(temporalConnectionOptions(config.temporal), tlsSources(config), 3_000);
}

let ours: string;
let theirs: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tls-'));
  ours = certs('ours');
  theirs = certs('theirs');
});
afterEach(() => closers.splice(0).forEach((close) => close()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('passes when the frontend is signed by the CA and accepts the client certificate', async () => {
  await expect(check(await frontend(ours, ours), ours)).resolves.toBeUndefined();
});

it('refuses a frontend whose certificate another CA signed, naming the CA variable', async () => {
  await expect(check(await frontend(theirs, ours), ours)).rejects.toThrow(
    /^the Temporal frontend at 127\.0\.0\.1:\d+ presented a certificate \("temporal", issued by "Gatehouse Temporal CA"\) that the CA of TEMPORAL_TLS_SERVER_CA_CERT_PATH did not sign/,
  );
});

it('names the older variable when that is the one set', async () => {
  const address = await frontend(theirs, ours);
  await expect(
    check(address, ours, {
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '',
      TEMPORAL_TLS_CA: path.join(ours, 'ca.pem'),
    }),
  ).rejects.toThrow(/the CA of TEMPORAL_TLS_CA did not sign/);
});

it('refuses when the frontend refuses the client certificate, naming its variable', async () => {
  await expect(check(await frontend(ours, theirs), ours)).rejects.toThrow(
    /^the Temporal frontend at 127\.0\.0\.1:\d+ refused the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH/,
  );
});

it('says a client certificate is needed when none is set', async () => {
  await expect(
    check(await frontend(ours, ours), ours, {
      TEMPORAL_TLS_CLIENT_CERT_PATH: '',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '',
    }),
  ).rejects.toThrow(/asks for a client certificate \(mTLS\): set TEMPORAL_TLS_CLIENT_CERT_PATH/);
});

it('refuses a certificate for other names, pointing at TEMPORAL_TLS_SERVER_NAME', async () => {
  const elsewhere = certs('elsewhere', 'DNS:temporal.internal');
  const address = await frontend(elsewhere, elsewhere);
  await expect(check(address, elsewhere)).rejects.toThrow(
    /certificate for other names than "127\.0\.0\.1" .*set TEMPORAL_TLS_SERVER_NAME/,
  );
  await expect(
    check(address, elsewhere, { TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }),
  ).resolves.toBeUndefined();
});

it('says so when the frontend speaks plain text', async () => {
  const server = net.createServer((socket) => socket.end('\x00\x00\x00\x04\x00\x00\x00\x00\x00'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  await expect(check(address, ours)).rejects.toThrow(/does not speak TLS/);
});

it('leaves a frontend that cannot be reached to the connection (the API starts without it)', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await expect(check(address, ours)).resolves.toBeUndefined();
});
