/**
 * The API observed from outside: request ids (echoed or made), one JSON log line per request
 * with its id and project, never a token or a body; unexpected failures logged with their
 * stack; sign-off metrics by decision and outcome; the Temporal UI link in the client's
 * namespace; and the real process (`gatehouse api`) stopping with exit code 0 on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { withAnswerCheck } from '../support/answer-check';
import { createMetrics } from '../../server/metrics';
import { createDatabase, migrateToLatest } from '../../db';
import { graceful } from '../../server/shutdown';
import { createLogger } from '../../config/logger';
import { databaseFactory, openMigrated } from '../support/databases';
import { startTsEntry } from '../support/processes';
import { connectTestTemporal, uniqueId } from '../support/temporal';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { startApiStack, type ApiStack } from '../server/stack';
import { freeLoopbackPort } from '../../worker/runtime';

const lines: string[] = [];
const logger = createLogger('gatehouse-api', 'debug', {
  write: (line: string) => lines.push(line),
});
const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const PEOPLE = {
  pm: 'pat',
  'ops-lead': 'olga',
  'ops-manager': 'mona',
  support: 'sue',
  steering: 'stan',
};

const metrics = createMetrics();
let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {
    logger,
    log: undefined,
    temporalUiUrl: 'http://temporal-ui.test/',
    metrics,
  });
});
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await api?.stop();
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

it('echoes a sane x-request-id and makes one otherwise', async () => {
  const echoed = await api.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-42.a' } });
  expect(echoed.headers.get('x-request-id')).toBe('trace-42.a');
  for (const given of ['two words', 'x'.repeat(200), '{"forged":"line"}']) {
    const made = await api.call('GET', '/healthz', { headers: { 'x-request-id': given } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect((await api.call('GET', '/healthz')).headers.get('x-request-id')).toMatch(
    /^[0-9a-f-]{36}$/,
  );
  const probe = logged().find((l) => l.requestId === 'trace-42.a');
  // Probes are polled constantly: debug, not info.
  expect(probe).toMatchObject({ level: 'debug', req: { method: 'GET', path: '/healthz' } });
});

it('logs sign-offs with request and project ids, counts them, and never logs tokens or bodies', async () => {
  const pmo = await api.user('pmo', { pmo: true });
  const tokens: Record<string, string> = {};
  for (const id of Object.values(PEOPLE)) tokens[id] = (await api.user(id)).token;
  const started = await api.call('POST', '/api/projects', {
    token: pmo.token,
    body: {
      name: 'Observed CRM',
      template: 'ops-integrated-delivery',
      participants: Object.fromEntries(Object.entries(PEOPLE).map(([r, u]) => [r, [u]])),
    },
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const signoffs = `/api/projects/${id}/nodes/inception/signoffs`;
  const refused = await api.call('POST', signoffs, {
    token: tokens.olga,
    body: { decision: 'go', comment: 'body-marker-1' },
    headers: { 'x-request-id': 'signoff-refused' },
  });
  expect(refused.status).toBe(422);
  const held = await api.call('POST', signoffs, {
    token: tokens.olga,
    body: { decision: 'hold', comment: 'body-marker-2' },
  });
  expect(held.status).toBe(200);

  const line = logged().find((l) => l.requestId === 'signoff-refused');
  expect(line).toMatchObject({
    level: 'info',
    name: 'gatehouse-api',
    projectId: id,
    req: { method: 'POST', path: signoffs },
    res: { status: 422 },
    responseTime: expect.any(Number),
  });
  const all = lines.join('\n');
  for (const secret of [pmo.token, tokens.olga!, 'body-marker-1', 'body-marker-2']) {
    expect(all).not.toContain(secret);
  }
  expect(all).not.toMatch(/authorization/i);

  const page = await metrics.registry.metrics();
  expect(page).toContain('gatehouse_signoffs_total{decision="go",outcome="refused"} 1');
  expect(page).toContain('gatehouse_signoffs_total{decision="hold",outcome="accepted"} 1');
  expect(page).toMatch(
    /^gatehouse_signoff_duration_seconds_count\{decision="hold",outcome="accepted"\} 1$/m,
  );
  expect(page).toContain('gatehouse_project_actions_total{action="signoff",outcome="accepted"} 1');

  // The Temporal UI link names the namespace the API's client works in.
  const state = await api.call('GET', `/api/projects/${id}`, { token: pmo.token });
  const namespace = requireTestEnv(TEST_ENV.namespace);
  expect(state.body.links.temporalUi).toBe(
    `http://temporal-ui.test/namespaces/${namespace}/workflows/project-${id}`,
  );
});

it('puts an unexpected failure on the request line, with its stack', async () => {
  const { client } = await connectTestTemporal();
  const broken = await openMigrated(databaseFactory('sqlite'));
  await broken.close(); // every query now fails: authentication answers 500
  const app = createApp(
    withAnswerCheck({ db: broken.db, temporal: { client, taskQueue: 'unused' }, logger }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/api/me`, {
      headers: { authorization: 'Bearer gh_never_logged', 'x-request-id': 'boom-1' },
    });
    expect(response.status).toBe(500);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const line = logged().find((l) => l.requestId === 'boom-1');
  expect(line).toMatchObject({ level: 'error', res: { status: 500 } });
  expect((line?.err as { stack?: string }).stack).toMatch(/\n\s+at /);
  expect(lines.join('\n')).not.toContain('gh_never_logged');
});

it('runs as a process: JSON logs, metrics on their own port, SIGTERM stops it with exit code 0', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-api-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const databaseUrl = `sqlite:${path.join(dir, 'gatehouse.db')}`;
  const metricsPort = await freeLoopbackPort();
  const migrated = createDatabase(databaseUrl);
  await migrateToLatest(migrated); // `gatehouse migrate`'s work: the API only checks
  await migrated.destroy();
  const process_ = startTsEntry('api', 'server/main.ts', {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    API_METRICS_PORT: String(metricsPort),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: uniqueId('api'),
    GATEHOUSE_ADMIN_TOKEN: `gh_${'a'.repeat(30)}`,
  });
  const listening = JSON.parse(await process_.waitForLine(/"msg":"listening"/)) as {
    level: string;
    url: string;
    metricsPort: number;
  };
  expect(listening.level).toBe('info');
  // Metrics on the operations port only: the public port does not serve them.
  expect(listening.metricsPort).toBe(metricsPort);
  const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(scraped.status).toBe(200);
  expect(await scraped.text()).toContain('# TYPE gatehouse_http_requests_total counter');
  expect((await fetch(`${listening.url}/metrics`)).status).toBe(404);
  const stopped = Date.now();
  expect(await process_.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  // Nothing was in flight: no waiting for the event-stream grace period.
  expect(Date.now() - stopped).toBeLessThan(4_000);
  await process_.waitForLine(/"msg":"stopped"/, 1_000);
});

it('on stop, finishes requests in flight, closes their connections and cuts streams after the grace', async () => {
  const streams: ServerResponse[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
      streams.push(res);
    } else setTimeout(() => res.end('done'), 300);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = graceful(server);
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true });
  const get = (path: string) =>
    new Promise<{ body: string; connection: string | undefined; ended: boolean }>((resolve) => {
      const req = request({ port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ body, connection: res.headers.connection, ended: true }));
        res.on('error', () => resolve({ body, connection: res.headers.connection, ended: false }));
        res.on('aborted', () =>
          resolve({ body, connection: res.headers.connection, ended: false }),
        );
      });
      req.on('error', () => resolve({ body: '', connection: undefined, ended: false }));
      req.end();
    });
  const stream = get('/stream');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const inFlight = get('/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  const closed = http.close(1_000);
  expect(await inFlight).toEqual({ body: 'done', connection: 'close', ended: true });
  await closed;
  // The stream held the server until the grace period cut it.
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  expect(Date.now() - started).toBeLessThan(3_000);
  expect((await stream).body).toContain(': open');
  expect(streams).toHaveLength(1);
});

it('stops at a bad variable with one plain line', async () => {
  const bad = startTsEntry('api', 'server/main.ts', { ...process.env, PORT: 'abc' });
  expect(await bad.exited).toEqual({ code: 1, signal: null });
  expect(bad.describe()).toContain(
    'gatehouse api: configuration error: PORT: expected an integer 0..65535, got "abc"',
  );
});
