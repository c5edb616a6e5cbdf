/**
 * Operator mistakes the CLI answers with one line and an exit code, never a stack: a template
 * saved with a byte order mark (as Windows editors do) and a Temporal frontend that cannot be
 * reached by the commands that need one, a DATABASE_URL naming no database or a file that is
 * not one, and a token label the API would refuse.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { opsIntegratedDelivery } from '../../workflows/model';
import { runGatehouse } from './spawn';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-cli-errors-'));
  env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'app.db')}` };
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('reads a template file that starts with a byte order mark, CRLF line ends or not', async () => {
  const json = JSON.stringify(opsIntegratedDelivery, null, 2);
  const bom = path.join(dir, 'bom.json');
  const bomCrlf = path.join(dir, 'bom-crlf.json');
  await writeFile(bom, `\uFEFF${json}`);
  await writeFile(bomCrlf, `\uFEFF${json.replace(/\n/g, '\r\n')}\r\n`);
  const runs = await Promise.all(
    [bom, bomCrlf].map((f) => runGatehouse(env, 'template', 'validate', f)),
  );
  for (const run of runs) {
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `valid: ${opsIntegratedDelivery.key} (${opsIntegratedDelivery.nodes.length} nodes)\n`,
    );
  }
});

it('names the Temporal address it could not reach, in one line, exit 1', async () => {
  // A port that is surely closed: bound, then released.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const address = `127.0.0.1:${port}`;
  const unreachable = { ...env, TEMPORAL_ADDRESS: address };
  const runs = await Promise.all([
    runGatehouse(unreachable, 'records', 'repair'),
    runGatehouse(unreachable, 'template', 'impact', opsIntegratedDelivery.key),
    runGatehouse(unreachable, 'template', 'migrate', 'k', '--version', '2', 'p-1'),
  ]);
  for (const run of runs) {
    expect(run.code).toBe(1);
    expect(run.errLines).toHaveLength(1);
    expect(run.errLines[0]).toMatch(
      new RegExp(
        `^gatehouse: cannot connect to Temporal at ${address} \\(TEMPORAL_ADDRESS, …\\): `,
      ),
    );
  }
}, 60_000);

it('creates no database for a mistyped DATABASE_URL and names a file it cannot open', async () => {
  const typo = path.join(dir, 'typo', 'app.db');
  const garbage = path.join(dir, 'garbage.db');
  await writeFile(garbage, 'not a database\n');
  const [missing, notDb] = await Promise.all([
    runGatehouse({ ...env, DATABASE_URL: `sqlite:${typo}` }, 'projects', 'list'),
    runGatehouse({ ...env, DATABASE_URL: `sqlite:${garbage}` }, 'users', 'list'),
  ]);
  expect({ code: missing.code, errLines: missing.errLines }).toEqual({
    code: 1,
    errLines: [
      `gatehouse: no app database at ${typo} (DATABASE_URL): check DATABASE_URL, or run \`gatehouse migrate\` to create it`,
    ],
  });
  expect(existsSync(path.dirname(typo))).toBe(false);
  expect({ code: notDb.code, errLines: notDb.errLines }).toEqual({
    code: 1,
    errLines: [
      `gatehouse: cannot open the app database ${garbage} (DATABASE_URL): file is not a database`,
    ],
  });
});

it('holds a token label to the API rule (1..100 characters once trimmed)', async () => {
  const url = `sqlite:${path.join(dir, 'tokens.db')}`;
  const run = (...args: string[]) => runGatehouse({ ...env, DATABASE_URL: url }, ...args);
  expect((await run('migrate')).code).toBe(0);
  expect((await run('users', 'add', '--name', 'Ops', '--email', 'ops@example.test')).code).toBe(0);
  const create = (label: string) =>
    run('tokens', 'create', '--user', 'ops@example.test', '--label', label);
  const [blank, long] = await Promise.all([create('   '), create('x'.repeat(101))]);
  expect({ code: blank.code, errLines: blank.errLines }).toEqual({
    code: 2,
    errLines: ['gatehouse: --label: required'],
  });
  expect({ code: long.code, errLines: long.errLines }).toEqual({
    code: 2,
    errLines: ['gatehouse: --label: at most 100 characters'],
  });
  const listed = await run('tokens', 'list', '--user', 'ops@example.test');
  // The header and the token `users add` made: nothing else was written.
  expect(listed.stdout.trimEnd().split('\n')).toHaveLength(2);
}, 60_000);
