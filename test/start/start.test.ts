/**
 * `npm start` end to end, as one node process (not the npm/tsx wrappers, so our signals reach
 * it): the banner with URLs, admin and demo tokens; a project started and half signed off over
 * HTTP; Ctrl-C stops everything with exit code 0 and no Temporal child left; a second start on
 * the same data folder prints the same demo tokens, no new admin token, and the project goes on
 * with nothing lost; that start SIGKILLed leaves no dev server behind, and the next start runs
 * and stops as cleanly on SIGTERM.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DEMO_USERS } from '../../scripts/start/demo-users';
import { devServerArgs } from '../../scripts/start/dev-server';
import { stopLeftoverDevServer, writePidFile } from '../../scripts/start/leftover';
import { READY_LINE } from '../../scripts/start/banner';
import { opsIntegratedDelivery } from '../../workflows/model';
import { startTsEntry, type TestProcess } from '../support/processes';
import { fullMarks, nodeOf } from '../workflows/drive';

const STOP_WITHIN_MS = 30_000;

let dataDir: string;
let env: NodeJS.ProcessEnv;
let baseUrl: string;
/**
 * The second start of the first test, left running for the second to kill: each start bundles
 * the workflows and starts a dev server (tens of seconds on a busy machine), and a running
 * start is all the kill needs.
 */
let running: { child: TestProcess; temporalPid: number } | undefined;

beforeAll(async () => {
  if (!process.env.TEMPORAL_CLI_PATH) {
    throw new Error('TEMPORAL_CLI_PATH is not set: run this test through `npm test`');
  }
  dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-start-'));
  const [port, temporalPort, uiPort] = await freePorts(3);
  baseUrl = `http://127.0.0.1:${port}`;
  // Only what this test chooses: no database, admin token or notification channel inherited.
  const {
    DATABASE_URL: _db,
    GATEHOUSE_ADMIN_TOKEN: _admin,
    WEBHOOK_URL: _webhook,
    SMTP_URL: _smtp,
    ...inherited
  } = process.env;
  env = {
    ...inherited,
    GATEHOUSE_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
  };
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const participants = Object.fromEntries(
  DEMO_USERS.flatMap((u) => u.roles.filter((r) => r !== 'pmo').map((role) => [role, [u.id]])),
);
const inception = nodeOf(opsIntegratedDelivery, 'inception');

it('runs the embedded default, stops cleanly on Ctrl-C and restarts with nothing lost', async () => {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await run();
    } finally {
      timings[name] = Date.now() - started;
    }
  };

  // First start: a new admin token, demo users created, their tokens kept 0600.
  const first = await timed('first start', () => startGatehouse('npm start 1'));
  const firstBanner = await readBanner(first);
  expect(firstBanner.admin).toMatch(/^gh_\S+ {2}\(shown once/);
  expect(Object.keys(firstBanner.tokens)).toEqual(DEMO_USERS.map((u) => u.id));
  expect(firstBanner.temporalUi).toMatch(new RegExp(`^http://localhost:${env.TEMPORAL_UI_PORT}$`));
  const tokensFile = path.join(dataDir, 'demo-tokens.json');
  expect((await stat(tokensFile)).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(tokensFile, 'utf8'))).toEqual(firstBanner.tokens);
  const tokens = firstBanner.tokens;
  // The designer's sign-in picker reads the same users from the API.
  const demo = await call('GET', '/api/demo/users');
  expect(demo.status).toBe(200);
  expect(demo.body.items).toEqual(
    DEMO_USERS.map((u) => ({ id: u.id, name: u.name, roles: u.roles, token: tokens[u.id] })),
  );

  // As the demo PMO: a project on the built-in template with the demo users in every role.
  const started = await call('POST', '/api/projects', tokens['demo-pmo'], {
    name: 'Restart-proof rollout',
    template: 'ops-integrated-delivery',
    version: 1,
    participants,
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  for (const d of inception.type === 'gate' ? (inception.deliverables ?? []) : []) {
    const submitted = await call(
      'POST',
      `/api/projects/${id}/nodes/inception/deliverables/${d.id}`,
      tokens['demo-pm'],
      { url: `https://docs.example.test/${d.id}` },
    );
    expect(submitted.status).toBe(200);
  }
  // Operations agree the project's metrics: the inception's go waits for that.
  const agreed = await call('POST', `/api/projects/${id}/metrics/agree`, tokens['demo-ops-lead'], {
    comment: 'agreed',
  });
  expect(agreed.status).toBe(200);
  // Inception needs the PM and an ops lead: sign one of the two.
  expect((await signInception(id, 'demo-pm', 'pm', tokens)).status).toBe(200);
  const before = await call('GET', `/api/projects/${id}`, tokens['demo-pmo']);
  expect(before.body).toMatchObject({ status: 'active', current: ['inception'] });
  expect(before.body.nodes.inception.votes.map((v: { userId: string }) => v.userId)).toEqual([
    'demo-pm',
  ]);
  expect(before.body.links.temporalUi).toContain(`http://localhost:${env.TEMPORAL_UI_PORT}/`);

  // Ctrl-C: everything stops in time, exit code 0, the dev server gone with it.
  const stop1 = await timed('SIGINT to exit', () => stopWithin(first, 'SIGINT'));
  expect(stop1).toEqual({ code: 0, signal: null });
  expect(isAlive(firstBanner.temporalPid)).toBe(false);
  expect(processesUsing(dataDir)).toEqual([]);

  // Second start on the same data: no admin token shown, the same demo tokens.
  const second = await timed('second start', () => startGatehouse('npm start 2'));
  const secondBanner = await readBanner(second);
  expect(secondBanner.admin).toMatch(/earlier start; not shown again/);
  expect(secondBanner.tokens).toEqual(tokens);
  expect(secondBanner.temporalPid).not.toBe(firstBanner.temporalPid);

  // The project is where it was: the partial sign-off kept; the second signature moves it on.
  const after = await call('GET', `/api/projects/${id}`, tokens['demo-pmo']);
  expect(after.status).toBe(200);
  expect(after.body.nodes.inception).toEqual(before.body.nodes.inception);
  expect(after.body).toMatchObject({ status: 'active', current: ['inception'] });
  const signed = await signInception(id, 'demo-ops-lead', 'ops-lead', tokens);
  expect(signed.status).toBe(200);
  const moved = await call('GET', `/api/projects/${id}`, tokens['demo-pmo']);
  expect(moved.body).toMatchObject({ status: 'active', current: ['operationalization-plan'] });
  expect(moved.body.nodes.inception).toMatchObject({ status: 'done', outcome: 'go', visits: 1 });

  // Left running: the next test kills it.
  running = { child: second, temporalPid: secondBanner.temporalPid };
  console.log(
    `npm start timings (ms): ${Object.entries(timings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}, 240_000);

it('leaves nothing behind when killed: the dev server dies with it, the next start runs and stops cleanly on SIGTERM', async () => {
  // The first test's second start, or (that test failed before it, or runs alone) one of its own.
  const { child: killed, temporalPid } = running ?? (await startAndRead('npm start killed'));
  running = undefined;
  expect(await killed.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  // The kernel kills the dev server with its parent (setpriv --pdeathsig): port 7233 is free.
  await waitFor(() => !isAlive(temporalPid), 10_000, `dev server ${temporalPid} still alive`);
  const next = await startGatehouse('npm start after a kill');
  const banner = await readBanner(next);
  expect(banner.admin).toMatch(/earlier start; not shown again/);
  expect((await call('GET', '/readyz')).status).toBe(200);
  // SIGTERM (a service manager's stop) is as clean as Ctrl-C.
  expect(await stopWithin(next, 'SIGTERM')).toEqual({ code: 0, signal: null });
  expect(isAlive(banner.temporalPid)).toBe(false);
  expect(processesUsing(dataDir)).toEqual([]);
}, 240_000);

it('stops a dev server an earlier start left, found by its pid file, before checking the ports', async () => {
  const leftoverDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-leftover-'));
  try {
    // A dev server started as a killed start without setpriv would have left it.
    const [port, uiPort] = await freePorts(2);
    const orphan = spawn(
      process.env.TEMPORAL_CLI_PATH!,
      devServerArgs({ dataDir: leftoverDir, ip: '127.0.0.1', port: port!, uiPort: uiPort! }),
      { detached: true, stdio: 'ignore' },
    );
    orphan.unref();
    writePidFile(leftoverDir, orphan.pid!);
    await waitFor(() => processesUsing(leftoverDir).length > 0, 10_000, 'the orphan to run');
    expect(await stopLeftoverDevServer(leftoverDir)).toBe(orphan.pid);
    expect(isAlive(orphan.pid!)).toBe(false);
    // A pid file naming some other program is left alone (and removed).
    writePidFile(leftoverDir, process.pid);
    expect(await stopLeftoverDevServer(leftoverDir)).toBeUndefined();
    expect(isAlive(process.pid)).toBe(true);
  } finally {
    await rm(leftoverDir, { recursive: true, force: true });
  }
}, 60_000);

async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startGatehouse(name: string): Promise<TestProcess> {
  const child = startTsEntry(name, 'scripts/start.ts', env);
  // The worker bundles the workflows first: seconds, more on a busy machine.
  await child.waitForLine(new RegExp(`^\\s+${READY_LINE}`), 120_000);
  return child;
}

async function startAndRead(name: string) {
  const child = await startGatehouse(name);
  return { child, temporalPid: (await readBanner(child)).temporalPid };
}

interface Banner {
  admin: string;
  temporalUi: string;
  temporalPid: number;
  tokens: Record<string, string>;
}

/** Reads the printed banner (all of it is out once the ready line is). */
async function readBanner(child: TestProcess): Promise<Banner> {
  const value = async (label: string) =>
    (await child.waitForLine(new RegExp(`^\\s+${label}\\s`), 1_000))
      .replace(new RegExp(`^\\s+${label}\\s+`), '')
      .trim();
  const grpc = await value('Temporal gRPC');
  const pid = /dev server pid (\d+)/.exec(grpc)?.[1];
  if (!pid) throw new Error(`no dev server pid in "${grpc}"\n${child.describe()}`);
  const tokens: Record<string, string> = {};
  for (const { id } of DEMO_USERS) {
    const line = await value(id);
    tokens[id] = /(gh_\S+)$/.exec(line)?.[1] ?? `no token in "${line}"`;
  }
  return {
    admin: await value('Admin token'),
    temporalUi: await value('Temporal UI'),
    temporalPid: Number(pid),
    tokens,
  };
}

function signInception(id: string, userId: string, role: string, tokens: Record<string, string>) {
  return call('POST', `/api/projects/${id}/nodes/inception/signoffs`, tokens[userId], {
    decision: 'go',
    role,
    criteria: fullMarks(inception),
  });
}

async function stopWithin(child: TestProcess, signal: NodeJS.Signals) {
  const exit = child.kill(signal);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () =>
        reject(
          new Error(`still running ${STOP_WITHIN_MS} ms after ${signal}\n${child.describe()}`),
        ),
      STOP_WITHIN_MS,
    ).unref(),
  );
  const result = await Promise.race([exit, timeout]);
  if (result.code !== 0) throw new Error(`exit ${JSON.stringify(result)}\n${child.describe()}`);
  return result;
}

async function call(method: string, urlPath: string, token?: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of processes whose command line names `dir` (Linux /proc; elsewhere none are found). */
function processesUsing(dir: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return pids.flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      return cmdline.includes(dir) && Number(pid) !== process.pid ? [Number(pid)] : [];
    } catch {
      return []; // exited while we looked
    }
  });
}

async function freePorts(count: number): Promise<number[]> {
  // Held open together so the ports differ; released right before the child binds them.
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
