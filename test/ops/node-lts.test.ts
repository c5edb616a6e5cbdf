/**
 * The app on the production image's Node, which is not the Node of this machine or CI (20):
 * the Node version of the Dockerfile's NODE_IMAGE, its official binary from the npm registry
 * (scripts/image-node.mjs, cached under .tools/). `migrate`, the API and a worker are started
 * by the image's own entry script (scripts/container-entry.sh: `node bin/gatehouse.js migrate`,
 * `node --import tsx server/main.ts`, `node --import tsx worker/main.ts`) with that Node first
 * on PATH, on a fresh PostgreSQL database and the run's Temporal dev server: the native
 * Temporal bridge, tsx's loader, Express, pg and the workflow bundling all load under it.
 * A project is carried through a gate over HTTP, and the read model the worker wrote is checked.
 * SQLite is not run here: better-sqlite3's binary in node_modules is built for this machine's
 * Node, and the image compiles its own (minutes of CPU; README, "Tests").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory, type TestDatabase } from '../support/databases';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { freePort } from '../support/outages';
import { PROJECT_ROOT, startProcess, type TestProcess } from '../support/processes';
import { uniqueId } from '../support/temporal';
import { createUser, expectStatus, Participant, type ApiUser } from '../server/drive-http';
import { apiClient, type ApiClient } from '../server/stack';

const VERSION = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-[\w.-]+$/m.exec(
  readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'),
)?.[1];
const ENTRY = path.join(PROJECT_ROOT, 'scripts', 'container-entry.sh');
const ADMIN_TOKEN = `gh_lts_${'n'.repeat(24)}`;
const template = { ...miniTemplate, key: 'mini-node-lts' };

let node: string;
let database: TestDatabase;
const ports = { api: 0, worker: 0 };
let worker: TestProcess | undefined;
let api: TestProcess | undefined;
/**
 * An empty folder for WORKFLOW_BUNDLE_DIR: webpack runs under that Node here, whatever bundle
 * the run (its global setup) or the checkout (`npm run workflows:bundle`, the proof) holds.
 */
let noBundle: string;

/**
 * The image's Node binary: `npm test`'s prerequisites put it in .tools/; the script fetches it
 * when jest runs on its own (a child process: Jest cannot load the ES module in its sandbox).
 */
function imageNode(): string {
  const script = path.join(PROJECT_ROOT, 'scripts', 'image-node.mjs');
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 110_000 });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

beforeAll(async () => {
  if (!VERSION) throw new Error('the Dockerfile names no exact Node (ARG NODE_IMAGE=node:X.Y.Z-…)');
  node = imageNode();
  database = await databaseFactory('postgres').create();
  noBundle = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-no-bundle-'));
  ports.api = await freePort();
  ports.worker = await freePort();
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await database?.drop();
  if (noBundle) rmSync(noBundle, { recursive: true, force: true });
});

/** One of the image's commands, as its entry script runs it, with the image's Node on PATH. */
function image(command: 'migrate' | 'api' | 'worker', taskQueue: string): TestProcess {
  const { WEBHOOK_URL: _webhook, SMTP_URL: _smtp, ...inherited } = process.env;
  return startProcess(`${command} on Node ${VERSION}`, 'sh', [ENTRY, command], {
    env: {
      ...inherited,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
      TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
      API_METRICS_PORT: String(ports.api),
      WORKER_METRICS_PORT: String(ports.worker),
      WORKFLOW_BUNDLE_DIR: noBundle,
    },
  });
}

/** The `nodejs_version_info` a process's Prometheus endpoint reports: the Node it runs on. */
async function nodeVersionOf(port: number): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return /^\w*nodejs_version_info\{version="(v[\d.]+)"/m.exec(text)?.[1];
}

it('the image names an exact Node whose official binary is what runs here', () => {
  const reported = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  expect(reported).toBe(`v${VERSION}`);
});

it("migrate, the API and a worker run on the image's Node and carry a project through a gate", async () => {
  const taskQueue = uniqueId('node-lts');
  const migrate = image('migrate', taskQueue);
  const migrated = await migrate.exited;
  expect({ exit: migrated, stderr: migrate.output().stderr }).toEqual({
    exit: { code: 0, signal: null },
    stderr: '',
  });
  expect(migrate.output().stdout).toMatch(/^applied .*; the schema is at /m);

  worker = image('worker', taskQueue);
  api = image('api', taskQueue);
  // The worker bundles the workflows (webpack, SWC) under that Node before this line.
  const bundle = await worker.waitForLine(/"msg":"workflow bundle: /, 60_000);
  expect((JSON.parse(bundle) as { msg: string }).msg).toBe('workflow bundle: bundling at start');
  await worker.waitForLine(/"msg":"worker running"/, 90_000);
  const { url } = JSON.parse(await api.waitForLine(/"msg":"listening"/, 60_000)) as {
    url: string;
  };
  expect(await nodeVersionOf(ports.api)).toBe(`v${VERSION}`);
  expect(await nodeVersionOf(ports.worker)).toBe(`v${VERSION}`);
  const ready = await fetch(`${url}/readyz`);
  expect({ status: ready.status, body: await ready.json() }).toMatchObject({
    status: 200,
    body: { status: 'ready', database: 'ok', temporal: 'ok' },
  });

  const client = apiClient(url, ADMIN_TOKEN);
  const id = await startProject(client);
  const as = (user: ApiUser) => new Participant(client, user, id, template);
  const [pm, ops1, ops2] = [people.pat!, people.olga!, people.omar!].map(as) as [
    Participant,
    Participant,
    Participant,
  ];
  await pm.completeStage('plan');
  await pm.submitDeliverables('approval');
  await pm.signoff('approval');
  await ops1.signoff('approval');
  const passed = await ops2.signoff('approval');
  expect(passed.body).toMatchObject({ status: 'active', current: ['hypercare'] });

  // The read model, as the worker on the image's Node wrote it.
  expect(await readModel(id)).toEqual({
    project: { status: 'active', current: ['hypercare'] },
    decided: [{ action: 'gate.decided', node: 'approval' }],
  });
  // Nothing on stderr: no warning of the runtime (a deprecation, an experimental feature).
  expect({ api: api.output().stderr, worker: worker.output().stderr }).toEqual({
    api: '',
    worker: '',
  });
  expect(await api.stop()).toEqual({ code: 0, signal: null });
  expect(await worker.stop()).toEqual({ code: 0, signal: null });
}, 180_000);

const people: Record<string, ApiUser> = {};

/** The admin creates the people, the PMO publishes the mini lifecycle and starts a project. */
async function startProject(client: ApiClient): Promise<string> {
  for (const name of ['paula', 'pat', 'olga', 'omar', 'sam']) {
    people[name] = await createUser(client, name, { pmo: name === 'paula' });
  }
  const token = people.paula!.token;
  const draft = await client.call('PUT', `/api/templates/${template.key}/draft`, {
    token,
    body: template,
  });
  expect(expectStatus(draft, 200, 'save draft').body).toMatchObject({ valid: true });
  const published = await client.call('POST', `/api/templates/${template.key}/publish`, { token });
  expectStatus(published, 201, 'publish');
  const participants = {
    pm: [people.pat!.id],
    ops: [people.olga!.id, people.omar!.id],
    steering: [people.sam!.id],
  };
  const started = await client.call('POST', '/api/projects', {
    token,
    body: { name: `On Node ${VERSION}`, template: template.key, participants },
  });
  return expectStatus(started, 201, 'start').body.id as string;
}

async function readModel(id: string) {
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  try {
    const project = await pg.query<{ status: string; current: string }>(
      'SELECT status, current FROM projects WHERE id = $1',
      [id],
    );
    const decided = await pg.query<{ action: string; node: string }>(
      "SELECT action, node_id AS node FROM audit_entries WHERE project_id = $1 AND action = 'gate.decided' ORDER BY seq",
      [id],
    );
    return {
      project: project.rows.map((row) => ({
        status: row.status,
        current: JSON.parse(row.current) as string[],
      }))[0],
      decided: decided.rows,
    };
  } finally {
    await pg.end();
  }
}
