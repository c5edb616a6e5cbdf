/**
 * A real SMTP server on 127.0.0.1 (random port) that keeps what it receives, for tests of the
 * e-mail channel. Headers are read from the raw message (no MIME parser needed for ASCII).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMail {
  /** Envelope sender and recipients (what SMTP was told, not the headers). */
  from: string;
  to: string[];
  raw: string;
  /** Header values by lower-case name (unfolded; the first occurrence wins). */
  headers: Map<string, string>;
  body: string;
  /** When the message was taken (epoch ms). */
  at: number;
}

/** A running sink. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>` for `createSmtpMailer`. */
  url: string;
  received: ReceivedMail[];
  /**
   * Errors of client connections (a client that went away mid-session, e.g. a worker the chaos
   * run killed, resets its socket): they end that session, never the sink.
   */
  connectionErrors: Error[];
  /**
   * Refuse every recipient (or `only` that address) with this SMTP reply code (450 transient,
   * 550 permanent); undefined accepts.
   */
  rejectRecipients(code: number | undefined, only?: string): void;
  /** Answer the end of each later message only after `ms` (a slow server); it is kept anyway. */
  delayReplies(ms: number): void;
  close(): Promise<void>;
}

/** Starts an SMTP sink; close it in `afterAll`. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let rejectCode: number | undefined;
  let rejectOnly: string | undefined;
  let replyDelayMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to set up, nodemailer then skips STARTTLS.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejectCode === undefined) return callback();
      if (rejectOnly !== undefined && address.address !== rejectOnly) return callback();
      callback(
        Object.assign(new Error(`no mailbox ${address.address}`), { responseCode: rejectCode }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const to = session.envelope.rcptTo.map((r) => r.address);
        received.push({ from, to, raw, ...parseMessage(raw), at: Date.now() });
        if (replyDelayMs === 0) callback();
        else setTimeout(callback, replyDelayMs).unref();
      });
    },
  });
  // Without a listener, one client's reset connection would crash the whole process.
  const connectionErrors: Error[] = [];
  server.on('error', (error) => connectionErrors.push(error));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = portOf(server.server.address());
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    connectionErrors,
    rejectRecipients(code, only) {
      rejectCode = code;
      rejectOnly = only;
    },
    delayReplies(ms) {
      replyDelayMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  // Unfold continuation lines (RFC 5322 §2.2.3) before splitting into fields.
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}
