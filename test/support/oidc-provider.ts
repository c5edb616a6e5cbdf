/**
 * A real, small OpenID provider for the tests: an HTTP server on a random loopback port with
 * discovery, a JWKS, an authorization endpoint (it signs in whoever the test says is at the
 * keyboard, or shows that person refusing), a token endpoint that checks the client, the
 * redirect URI and the PKCE verifier and issues ID tokens signed with jose, and switches to
 * take it (or its keys) down. `token()` forges bearer JWTs, right or wrong in one way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export const CLIENT_ID = 'gatehouse-web';
export const CLIENT_SECRET = 'test-client-secret-0123456789';
export const AUDIENCE = 'gatehouse-api';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

interface IssuedCode {
  claims: JWTPayload;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
}

/** Forgeries of {@link OidcProvider.token}: each one way a token can be wrong. */
export interface TokenOptions {
  audience?: string;
  issuer?: string;
  /** Seconds since the epoch, or a jose time span ('5m'); null: no exp at all. */
  expiresIn?: string | number | null;
  notBefore?: number;
  typ?: string | null;
  key?: SigningKey;
}

export class OidcProvider {
  /** Request paths served, in order. */
  readonly requests: string[] = [];
  failing: 'nothing' | 'everything' | 'jwks' = 'nothing';
  issuer = '';
  /** The person signed in at the provider: claims of the next authorization. */
  person: JWTPayload | undefined;
  /** The person at the keyboard refuses to sign in. */
  refusing = false;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly server = createServer((req, res) => {
    this.serve(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });

  private constructor(
    private readonly jwks: JWK[],
    readonly key: SigningKey,
  ) {}

  static async start(): Promise<OidcProvider> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const provider = new OidcProvider([jwk], { kid: 'key-1', alg: 'RS256', privateKey });
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    provider.issuer = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
    return provider;
  }

  /** Another key pair, which the provider also publishes (e.g. for another algorithm). */
  async addKey(alg: string, kid: string): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    this.jwks.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    return { kid, alg, privateKey };
  }

  /** A bearer JWT as this provider would issue it, or wrong in the ways `options` say. */
  async token(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.key;
    const typ = options.typ === undefined ? 'JWT' : options.typ;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, ...(typ !== null && { typ }) })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt();
    if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
    if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    this.requests.push(url.pathname);
    const json = (status: number, body: unknown): void => {
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    };
    if (this.failing === 'everything') return json(503, { error: 'maintenance' });
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json(200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256', 'ES256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        });
      case '/jwks':
        return this.failing === 'jwks'
          ? json(500, { error: 'oops' })
          : json(200, { keys: this.jwks });
      case '/authorize':
        return this.authorize(url, res);
      case '/token':
        return json(...(await this.exchange(req)));
      default:
        return json(404, { error: 'not found' });
    }
  }

  /** Signs `person` in at once (no consent screen) and sends the browser back with a code. */
  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirect = new URL(q.get('redirect_uri') ?? '');
    const valid =
      q.get('client_id') === CLIENT_ID &&
      q.get('response_type') === 'code' &&
      q.get('code_challenge_method') === 'S256' &&
      q.get('code_challenge') &&
      (q.get('scope') ?? '').split(' ').includes('openid');
    if (!valid) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid authorization request');
      return;
    }
    redirect.searchParams.set('state', q.get('state') ?? '');
    redirect.searchParams.set('iss', this.issuer);
    if (this.refusing || !this.person) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, {
        claims: this.person,
        redirectUri: q.get('redirect_uri')!,
        challenge: q.get('code_challenge')!,
        nonce: q.get('nonce') ?? undefined,
      });
      redirect.searchParams.set('code', code);
    }
    res.writeHead(302, { location: redirect.href }).end();
  }

  /** The token endpoint: the client's secret, the code once, its redirect URI and verifier. */
  private async exchange(req: IncomingMessage): Promise<[number, unknown]> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const form = new URLSearchParams(text);
    if (!clientAuthenticated(req.headers.authorization)) return [401, { error: 'invalid_client' }];
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !issued ||
      form.get('grant_type') !== 'authorization_code' ||
      form.get('redirect_uri') !== issued.redirectUri ||
      challenge !== issued.challenge
    ) {
      return [400, { error: 'invalid_grant' }];
    }
    const idToken = await new SignJWT({
      ...issued.claims,
      ...(issued.nonce !== undefined && { nonce: issued.nonce }),
    })
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(this.key.privateKey);
    const accessToken = randomBytes(16).toString('base64url');
    return [200, { access_token: accessToken, token_type: 'Bearer', id_token: idToken }];
  }
}

/** HTTP Basic with the id and secret form-urlencoded first (RFC 6749 §2.3.1). */
function clientAuthenticated(header: string | undefined): boolean {
  const match = /^Basic (\S+)$/.exec(header ?? '');
  if (!match) return false;
  const [id, secret] = Buffer.from(match[1]!, 'base64')
    .toString('utf8')
    .split(':')
    .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
  return id === CLIENT_ID && secret === CLIENT_SECRET;
}

/** The claims of a person at the provider, with a verified e-mail. */
export const person = (sub: string, email: string, name: string, extra: JWTPayload = {}) => ({
  sub,
  email,
  email_verified: true,
  name,
  ...extra,
});
