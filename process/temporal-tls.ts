/**
 * A TLS handshake with the Temporal frontend before the API or the worker connects, with the
 * settings they will connect with, so that a certificate either side refuses stops the start
 * with one line naming the setting. Without it the worker's SDK says
 * `InvalidCertificate(BadSignature)` and the API's client only `Failed to connect before the
 * deadline`, forever. A frontend that cannot be reached (yet) is not this check's business:
 * the API starts without Temporal, and the worker's own connect says so.
 */
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { ConfigError, type TemporalConnectionOptions } from '../config';
import { envSource, TLS_FILES, type TemporalEnv, type TlsFile } from '../config/temporal';

/** Where each TLS setting came from, for the message: a variable or a profile key. */
export interface TlsSources {
  serverCACert: string;
  clientCert: string;
  serverName: string;
}

/** The variable that set each file, else its key in the profile file (TEMPORAL_CONFIG_FILE). */
export function tlsSources(config: TemporalEnv): TlsSources {
  const named = (file: TlsFile) =>
    envSource(config, file) ??
    (config.TEMPORAL_CONFIG_FILE !== undefined
      ? `tls.${TLS_FILES[file].toml}_path (or _data) of TEMPORAL_CONFIG_FILE's profile`
      : TLS_FILES[file].path);
  return {
    serverCACert: named('serverCACert'),
    clientCert: named('clientCert'),
    serverName: 'TEMPORAL_TLS_SERVER_NAME',
  };
}

const HANDSHAKE_TIMEOUT_MS = 5_000;
/** Connection errors: the frontend is down or elsewhere, not refusing a certificate. */
const UNREACHABLE =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/;

/** Resolves when the frontend accepts the TLS settings or cannot be reached; else throws. */
export async function checkTemporalTls(
  options: TemporalConnectionOptions,
  sources: TlsSources,
  timeoutMs = HANDSHAKE_TIMEOUT_MS,
): Promise<void> {
  const tls = options.tls;
  if (!tls || typeof tls !== 'object') return;
  const address = options.address ?? '';
  const split = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  if (!split) return;
  const [, host, port] = split as unknown as [string, string, string];
  const name = tls.serverNameOverride ?? host;
  const at = `the Temporal frontend at ${address}`;
  const problem = await new Promise<string | undefined>((resolve) => {
    const session = http2.connect(`https://${host.includes(':') ? `[${host}]` : host}:${port}`, {
      ...(tls.serverRootCACertificate && { ca: Buffer.from(tls.serverRootCACertificate) }),
      ...(tls.clientCertPair && {
        cert: Buffer.from(tls.clientCertPair.crt),
        key: Buffer.from(tls.clientCertPair.key),
      }),
      ...(tls.serverNameOverride && { servername: tls.serverNameOverride }),
      // Judged below, to say which setting is wrong.
      rejectUnauthorized: false,
    });
    /** The server ends the handshake with an alert, or (Node's) just hangs up after it. */
    const refusedClient = (how: string) =>
      tls.clientCertPair
        ? `${at} refused the client certificate of ${sources.clientCert} (${how}): it wants one its own CA signed`
        : `${at} asks for a client certificate (mTLS): set ${sources.clientCert} and its key`;
    let handshaken = false;
    let settled = false;
    const done = (answer: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const failed = (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (UNREACHABLE.test(code)) return done(undefined);
      if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG')
        return done(`${at} does not speak TLS (TLS is on: TEMPORAL_TLS, a TLS file or an API key)`);
      if (code.startsWith('ERR_SSL_') || /alert/i.test(error.message)) {
        // OpenSSL's line, e.g. `…:ssl3_read_bytes:tlsv1 alert unknown ca:…`: the alert's words.
        const alert = /:([^:]*alert[^:]*):/.exec(error.message)?.[1] ?? error.message.trim();
        return done(refusedClient(alert));
      }
      done(undefined);
    };
    session.on('error', failed);
    session.on('connect', (_session, socket) => {
      handshaken = true;
      const tlsSocket = socket as TLSSocket;
      // A TLS 1.3 alert after the handshake (no or a refused client certificate) comes here.
      tlsSocket.on('error', failed);
      // With the system's CAs the SDK's own store decides (it may hold more than Node's).
      if (!tls.serverRootCACertificate) return;
      const peer = tlsSocket.getPeerCertificate();
      const cn = (part: { CN?: string | string[] } | undefined) =>
        [part?.CN ?? 'no name'].flat().join(', ');
      const [subject, issuer] = [cn(peer.subject), cn(peer.issuer)];
      // A code (Node's type), or an Error with it (an unmatched name).
      const reason = tlsSocket.authorizationError as unknown as { code?: string } | string;
      if ((typeof reason === 'string' ? reason : reason?.code) === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        const names = peer.subjectaltname ?? 'none';
        return done(
          `${at} presented a certificate for other names than "${name}" (${names}): ` +
            `set ${sources.serverName} to a name it has`,
        );
      }
      if (!tlsSocket.authorized) {
        return done(
          `${at} presented a certificate ("${subject}", issued by "${issuer}") that the CA of ` +
            `${sources.serverCACert} did not sign (${String(tlsSocket.authorizationError)})`,
        );
      }
    });
    session.on('close', () =>
      done(handshaken ? refusedClient('it closed the connection') : undefined),
    );
    // The server's first frame: it accepted the handshake, client certificate included.
    session.on('remoteSettings', () => done(undefined));
  });
  if (problem) throw new ConfigError(problem);
}
