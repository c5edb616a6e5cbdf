/**
 * Bad input, as properties: generated bodies, path parameters, query strings and headers go to
 * every route of the contract, anonymously and as a PMO-and-admin user (so every access check
 * passes and input handling is what answers). No answer is a 5xx, every 4xx is problem+json
 * with `errors[]` (each with a `path`), and nothing is written: every request to a route that
 * writes is invalid by construction, and the database and workflow histories are compared whole
 * before and after. Reproduce a failure with GATEHOUSE_FC_SEED (and fast-check's printed path).
 */
import net from 'node:net';
import fc from 'fast-check';
import type { RouteName } from '../../server/contract';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { databaseFactory } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import {
  NAMES,
  VALID_BODIES,
  anyJson,
  bodyAccepted,
  brokenUtf8,
  bodyStatus,
  brokenEncoding,
  foreignContentType,
  garbageAuthorization,
  malformedJson,
  mutated,
  noiseHeaders,
  queryString,
  readOnly,
  spec,
  weirdSegment,
} from './bad-input';
import { ProjectMaker, createCast, type Cast } from './cast';
import { problemFlaw, send, settle, snapshot, snapshotDiff, type Answer } from './probe';
import { startApiStack, type ApiStack } from './stack';

const SEED = Number(process.env.GATEHOUSE_FC_SEED ?? 20_260_501);
const RUNS = { seed: SEED, numRuns: 20 };

let api: ApiStack;
let cast: Cast;
let settled: string;
const VALID_PARAMS: Record<string, string> = {
  nodeId: 'inception',
  deliverableId: 'stakeholder-map',
  issueId: 'issue-1',
  conditionId: 'inception-1-1',
  feedbackId: 'feedback-1',
  actionId: 'pir-1-a1',
  key: builtin.key,
  n: '1',
  job: 'job-1',
};

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  cast = await createCast(api);
  VALID_PARAMS.id = (await new ProjectMaker(api, cast).make('gate')).id;
  settled = await settle(api.db, (await connectTestTemporal()).client);
});
afterAll(async () => api?.stop());

interface Shot {
  /** Path segments by parameter, sent as is (already encoded); the others are valid. */
  segments?: Record<string, string>;
  query?: string[];
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string | Uint8Array;
  token?: string;
}

const paramsOf = (name: RouteName) => [...spec(name).path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const takesBody = (name: RouteName) => spec(name).method !== 'get';
const asRoot = () => cast.tokens[cast.root]!;

function shoot(name: RouteName, shot: Shot): Promise<Answer> {
  const path = spec(name).path.replace(/:(\w+)/g, (_, p: string) => {
    const valid = VALID_PARAMS[p];
    if (valid === undefined) throw new Error(`no valid value for :${p} (add it to VALID_PARAMS)`);
    return shot.segments?.[p] ?? encodeURIComponent(valid);
  });
  const query = shot.query?.length ? `?${shot.query.join('&')}` : '';
  const withBody = takesBody(name);
  return send(api.baseUrl, {
    method: spec(name).method.toUpperCase(),
    path: `${path}${query}`,
    ...(shot.headers && { headers: shot.headers }),
    ...(shot.token !== undefined && { token: shot.token }),
    ...(withBody && shot.body !== undefined && { body: shot.body }),
    ...(withBody && shot.raw !== undefined && { raw: shot.raw }),
  });
}

/** What holds for every answer: no 5xx, and a 4xx is a well-formed problem. */
function expectSound(name: RouteName, answer: Answer): void {
  expect([name, answer.status < 500]).toEqual([name, true]);
  if (answer.status >= 400) expect([name, problemFlaw(answer)]).toEqual([name, undefined]);
}

/** A request to a route that writes must have been refused. */
function expectRefusedIfWrites(name: RouteName, answer: Answer): void {
  expectSound(name, answer);
  if (!readOnly(name)) expect([name, answer.status >= 400]).toEqual([name, true]);
}

describe('anonymous callers', () => {
  it.each(NAMES)('%s: 401 for any input unless open to anyone', async (name) => {
    const input = fc.record({
      authorization: fc.option(garbageAuthorization, { nil: undefined }),
      headers: noiseHeaders,
      query: queryString,
      body: fc.option(anyJson, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ authorization, headers, query, body }) => {
        const answer = await shoot(name, {
          headers: { ...headers, ...(authorization !== undefined && { authorization }) },
          query,
          body,
        });
        expectSound(name, answer);
        if (spec(name).access !== 'anyone') {
          expect([name, answer.status]).toEqual([name, 401]);
          expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        }
      }),
      RUNS,
    );
  });
});

describe('bodies', () => {
  const withBody = NAMES.filter((n) => spec(n).body !== undefined);

  it('has a valid example for every route that takes a body', () => {
    for (const name of withBody)
      expect([name, bodyAccepted(name, VALID_BODIES[name])]).toEqual([name, true]);
  });

  it.each(withBody)(
    '%s: a broken body is a 400 (422: over a cap) naming body fields',
    async (name) => {
      const valid = VALID_BODIES[name]!;
      const body = fc
        .oneof(anyJson, mutated(valid))
        .filter((b) => readOnly(name) || !bodyAccepted(name, b));
      await fc.assert(
        fc.asyncProperty(body, noiseHeaders, queryString, async (b, headers, noise) => {
          // Noise in the query of a route that reads its query is a fault of its own.
          const query = spec(name).query === undefined ? noise : [];
          const answer = await shoot(name, { token: asRoot(), body: b, headers, query });
          expectRefusedIfWrites(name, answer);
          if (readOnly(name)) return;
          expect([name, answer.status]).toEqual([
            name,
            answer.status === 413 ? 413 : bodyStatus(name, b),
          ]);
          for (const e of answer.json.errors as { path: unknown[] }[])
            expect(e.path[0]).toBe('body');
        }),
        RUNS,
      );
    },
  );
});

describe('path parameters', () => {
  const withParams = NAMES.filter((n) => paramsOf(n).length > 0);

  it.each(withParams)('%s: a hostile path segment is refused, whoever sends it', async (name) => {
    const decodable = fc
      .tuple(fc.constantFrom(...paramsOf(name)), weirdSegment)
      .filter(([p, value]) => {
        const params = { ...VALID_PARAMS, [p]: value };
        return readOnly(name) || !(spec(name).params?.safeParse(params).success ?? true);
      })
      .map(([p, value]) => ({ [p]: encodeURIComponent(value) }));
    const undecodable = fc
      .tuple(fc.constantFrom(...paramsOf(name)), brokenEncoding)
      .map(([p, value]) => ({ [p]: value }));
    const segments = fc.oneof(decodable, undecodable);
    await fc.assert(
      fc.asyncProperty(segments, noiseHeaders, fc.boolean(), async (s, headers, anonymous) => {
        const body = VALID_BODIES[name];
        const token = anonymous ? {} : { token: asRoot() };
        const answer = await shoot(name, { ...token, segments: s, headers, body });
        expectRefusedIfWrites(name, answer);
        if (anonymous && !readOnly(name)) expect([400, 401, 404]).toContain(answer.status);
      }),
      RUNS,
    );
  });
});

describe('query strings and headers', () => {
  it.each(NAMES.filter(readOnly))('%s: any query and headers, no 5xx', async (name) => {
    await fc.assert(
      fc.asyncProperty(queryString, noiseHeaders, async (query, headers) => {
        const body = VALID_BODIES[name];
        expectSound(name, await shoot(name, { token: asRoot(), query, headers, body }));
      }),
      RUNS,
    );
  });
});

describe('raw bodies', () => {
  const posts = NAMES.filter(takesBody);

  it.each(posts)('%s: not JSON, not declared JSON, or not decodable', async (name) => {
    const text = JSON.stringify(VALID_BODIES[name] ?? {});
    const shots = fc.oneof(
      fc.record({
        raw: malformedJson,
        type: fc.constant('application/json'),
        expect: fc.constant(400),
      }),
      ...(spec(name).body
        ? [
            fc.record({
              raw: fc.constant(text),
              type: foreignContentType,
              expect: fc.constant(415),
            }),
          ]
        : []),
      fc.record({
        raw: fc.constant(text),
        type: fc.constant('application/json'),
        encoding: fc.constantFrom('gzip', 'deflate', 'br', 'x-unheard-of'),
        expect: fc.constantFrom(400, 415),
      }),
    );
    await fc.assert(
      fc.asyncProperty(shots, fc.boolean(), async (shot, anonymous) => {
        const headers = {
          'content-type': shot.type,
          ...('encoding' in shot && { 'content-encoding': shot.encoding }),
        };
        const answer = await shoot(name, {
          raw: shot.raw,
          headers,
          ...(!anonymous && { token: asRoot() }),
        });
        expectRefusedIfWrites(name, answer);
        // Who is calling comes first: a stranger's body is never read.
        const stranger = anonymous && spec(name).access !== 'anyone';
        if (stranger) expect([name, answer.status]).toEqual([name, 401]);
        else if ('encoding' in shot) expect([400, 415]).toContain(answer.status);
        else expect([name, answer.status]).toEqual([name, shot.expect]);
      }),
      RUNS,
    );
  });

  it.each(posts)('%s: JSON that is not UTF-8 (never stored as U+FFFD)', async (name) => {
    const raw = brokenUtf8(VALID_BODIES[name] ?? {});
    const headers = { 'content-type': 'application/json' };
    const answer = await shoot(name, { raw, headers, token: asRoot() });
    expectRefusedIfWrites(name, answer);
    expect([name, answer.status, answer.json?.code]).toEqual([name, 400, 'malformed_json']);
  });
});

describe('sizes, unknown routes and methods', () => {
  it('refuses a body over the limit with 413, whether its length is declared or not', async () => {
    const big = { name: 'x'.repeat(300 * 1024) };
    // A stranger is refused before anything is read; for a user the body is counted.
    for (const [token, status] of [
      [asRoot(), 413],
      [undefined, 401],
    ] as const) {
      const answer = await shoot('validateTemplate', { body: big, ...(token && { token }) });
      expect(answer.status).toBe(status);
      expect(problemFlaw(answer)).toBeUndefined();
    }
    // Streamed (chunked), so no length is declared: counted while read.
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024)}",`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('['));
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('0]'));
        controller.close();
      },
    });
    const streamed = await fetch(`${api.baseUrl}/api/templates/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${asRoot()}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers an unknown path 404 and a known path with another method 405 + Allow', async () => {
    const unknown = fc.oneof(
      fc
        .string({ unit: 'grapheme', maxLength: 40 })
        .map((s) => `/api/${encodeURIComponent(s)}/x/y/z`),
      fc.constantFrom(
        '/',
        '/api',
        '/api/',
        '/api/projects//audit',
        '/api/templates//draft',
        '/nope',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        unknown,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        async (path, method) => {
          const answer = await send(api.baseUrl, { method, path, token: asRoot() });
          expect([path, answer.status]).toEqual([path, 404]);
          expect(problemFlaw(answer)).toBeUndefined();
        },
      ),
      RUNS,
    );
    const allowed = new Map<string, string[]>();
    for (const name of NAMES) {
      const path = spec(name).path;
      allowed.set(path, [...(allowed.get(path) ?? []), spec(name).method.toUpperCase()]);
    }
    for (const [path, methods] of allowed) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter(
        (m) => !methods.includes(m),
      )) {
        const concrete = path.replace(/:(\w+)/g, (_, p: string) => VALID_PARAMS[p]!);
        const answer = await send(api.baseUrl, { method, path: concrete, token: asRoot() });
        expect([method, path, answer.status]).toEqual([method, path, 405]);
        expect(answer.headers.get('allow')?.split(', ').sort()).toEqual([...methods].sort());
        expect(problemFlaw(answer)).toBeUndefined();
      }
    }
  });
});

describe("what Node's HTTP parser refuses", () => {
  /** Writes `text` on a fresh connection and reads the answer until the server closes it. */
  async function raw(text: string): Promise<{ status: number; type?: string; body: unknown }> {
    const { port, hostname } = new URL(api.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect(Number(port), hostname, () => socket.end(text));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    const [statusLine = '', ...headerLines] = head.split('\r\n');
    const type = headerLines
      .find((line) => line.toLowerCase().startsWith('content-type:'))
      ?.slice('content-type:'.length)
      .trim();
    return {
      status: Number(statusLine.split(' ')[1]),
      ...(type && { type }),
      body: JSON.parse(body),
    };
  }

  it.each([
    [
      'headers over 16 KB',
      `GET /api/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
      431,
      'headers',
    ],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'request'],
    [
      'a malformed header',
      'GET /api/me HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n',
      400,
      'request',
    ],
  ])('answers %s with a problem document', async (_name, text, status, field) => {
    const answer = await raw(text);
    expect(answer).toMatchObject({
      status,
      type: 'application/problem+json',
      body: { status, errors: [{ path: [field] }] },
    });
  });
});

describe('afterwards', () => {
  it('wrote nothing: every table and workflow history is as it was', async () => {
    const after = await snapshot(api.db, (await connectTestTemporal()).client);
    expect(snapshotDiff(settled, after)).toEqual([]);
  });
});
