/**
 * The `gatehouse` command as users run it: `node bin/gatehouse.js …` from the repository root
 * against a temp SQLite DATABASE_URL, checking output and exit codes (0 done, 1 failed, 2 usage
 * or unreadable input). Each spawn costs about half a second of tsx start-up, so assertions are
 * grouped per run; the help of every command is checked in-process, where it costs nothing.
 * start/api/worker are run for real by test/start and test/server; here only their help.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { buildProgram } from '../../cli/program';
import { runCli } from '../../cli/run';
import { createDatabase, findUserByToken, upsertProjectSnapshot, type Database } from '../../db';
import { startProject } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, validateTemplate } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { runGatehouse, type Run } from './spawn';

const KEY = opsIntegratedDelivery.key;

let dir: string;
let env: NodeJS.ProcessEnv;
let db: Kysely<Database>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-cli-'));
  const url = `sqlite:${path.join(dir, 'app.db')}`;
  env = { ...process.env, DATABASE_URL: url };
  // Commands refuse a database without the schema: prepare it as an operator would.
  const migrated = await gatehouse('migrate');
  if (migrated.code !== 0) throw new Error(`gatehouse migrate failed: ${migrated.stderr}`);
  // Opened by the test alongside the CLI's own short-lived connections (SQLite WAL).
  db = createDatabase(url);
});
afterAll(async () => {
  await db?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function gatehouse(...args: string[]): Promise<Run> {
  return runGatehouse(env, ...args);
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

/** The built-in template with two shape errors: a zero SLA and a non-number layout x. */
function brokenCopy(): unknown {
  const { nodes, layout } = opsIntegratedDelivery;
  return {
    ...opsIntegratedDelivery,
    nodes: nodes.map((node, index) => (index === 3 ? { ...node, sla: { due: 'P0D' } } : node)),
    layout: { ...layout, 'pilot-review': { x: 'left', y: 0 } },
  };
}

describe('template validate', () => {
  it('accepts the built-in template, lists every error of a broken copy, refuses garbage', async () => {
    const good = await writeJson('good.json', opsIntegratedDelivery);
    const broken = brokenCopy();
    const bad = await writeJson('broken.json', broken);
    const garbage = path.join(dir, 'garbage.json');
    await writeFile(garbage, 'nodes: [oops\n');
    const missing = path.join(dir, 'missing.json');

    const [valid, invalid, notJson, unreadable] = await Promise.all([
      gatehouse('template', 'validate', good),
      gatehouse('template', 'validate', bad),
      gatehouse('template', 'validate', garbage),
      gatehouse('template', 'validate', missing),
    ]);

    expect(valid).toMatchObject({ code: 0, stderr: '' });
    expect(valid.stdout).toBe(`valid: ${KEY} (${opsIntegratedDelivery.nodes.length} nodes)\n`);

    const message = (at: string) =>
      validateTemplate(broken).errors.find((e) => e.path.join('/') === at)!.message;
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.errLines).toEqual([
      `nodes[3].sla.due [invalid_duration] ${message('nodes/3/sla/due')}`,
      `layout["pilot-review"].x [invalid_type] ${message('layout/pilot-review/x')}`,
      `gatehouse: ${bad}: invalid template (2 errors)`,
    ]);

    expect(notJson.code).toBe(2);
    expect(notJson.errLines).toHaveLength(1);
    expect(notJson.errLines[0]).toMatch(`gatehouse: ${garbage} is not JSON: `);
    expect(unreadable.code).toBe(2);
    expect(unreadable.errLines).toEqual([
      `gatehouse: cannot read ${missing}: no such file or directory`,
    ]);
  });
});

describe('template import and export', () => {
  it('refuses, as the API does, a duration no project can hold', async () => {
    const nodes = miniTemplate.nodes.map((n) =>
      n.id === 'plan' ? { ...n, sla: { due: 'P273780Y' } } : n,
    );
    const file = await writeJson('too-long.json', { ...miniTemplate, key: 'too-long', nodes });
    const imported = await gatehouse('template', 'import', file);
    expect(imported.code).toBe(1);
    expect(imported.errLines[0]).toMatch(
      /^nodes\[0\]\.sla\.due \[invalid_duration\] at most P1000Y/,
    );
    const versions = db.selectFrom('template_versions').where('key', '=', 'too-long');
    expect(await versions.selectAll().execute()).toEqual([]);
  });

  it('round-trips a template through the database; an invalid import writes nothing', async () => {
    const file = await writeJson('import.json', opsIntegratedDelivery);
    const imported = await gatehouse('template', 'import', file);
    expect(imported).toMatchObject({ code: 0, stdout: `published ${KEY} v1\n`, stderr: '' });

    const out = path.join(dir, 'export.json');
    const [again, toFile, toStdout, noVersion, unknown, badVersion] = await Promise.all([
      gatehouse('template', 'import', file),
      gatehouse('template', 'export', KEY, '--out', out),
      gatehouse('template', 'export', KEY, '--version', '1'),
      gatehouse('template', 'export', KEY, '--version', '7'),
      gatehouse('template', 'export', 'no-such-template'),
      gatehouse('template', 'export', KEY, '--version', 'latest'),
    ]);
    // The same template again publishes nothing new.
    expect(again).toMatchObject({
      code: 0,
      stdout: `unchanged ${KEY} v1 (the latest version is the same)\n`,
    });
    expect(toFile).toMatchObject({ code: 0, stdout: `exported ${KEY} v1 to ${out}\n` });
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(opsIntegratedDelivery);
    expect(toStdout.code).toBe(0);
    expect(JSON.parse(toStdout.stdout)).toEqual(opsIntegratedDelivery);
    expect(noVersion).toMatchObject({ code: 1, stdout: '' });
    expect(noVersion.errLines).toEqual([
      `gatehouse: template ${KEY} has no version 7 (latest: v1)`,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.errLines).toEqual(['gatehouse: no published template no-such-template']);
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toMatch("option '--version <n>' argument 'latest' is invalid");

    // A rule error (not a shape error) under a fresh key: refused, and no draft or version.
    const rogue = {
      ...opsIntegratedDelivery,
      key: 'rogue',
      nodes: opsIntegratedDelivery.nodes.map((n, i) => (i === 1 ? { ...n, owner: 'ghost' } : n)),
    };
    const [unknownRole] = validateTemplate(rogue).errors;
    const rogueFile = await writeJson('rogue.json', rogue);
    const refused = await gatehouse('template', 'import', rogueFile);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.errLines).toEqual([
      `nodes[1].owner [unknown_role] ${unknownRole!.message}`,
      `gatehouse: ${rogueFile}: invalid template (1 error)`,
    ]);
    const afterwards = await gatehouse('template', 'export', 'rogue');
    expect(afterwards.code).toBe(1);
    // Not "(it has a draft …)": the draft was not saved either.
    expect(afterwards.errLines).toEqual(['gatehouse: no published template rogue']);
  });
});

describe('users add', () => {
  it('prints a working token once and refuses a taken e-mail', async () => {
    const created = await gatehouse(
      'users',
      'add',
      '--name',
      'Pat Lee',
      '--email',
      'Pat.Lee@Example.com',
      '--pmo',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created user \S+: Pat Lee <pat\.lee@example\.com> \(pmo\)\n/);
    expect(created.stderr).toMatch(/warning: this token will not be shown again/);
    const token = /^token: (gh_\S+)$/m.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    const user = await findUserByToken(db, token!);
    expect(user).toMatchObject({
      name: 'Pat Lee',
      email: 'pat.lee@example.com',
      pmo: true,
      admin: false,
    });

    const [taken, badEmail, noName] = await Promise.all([
      gatehouse('users', 'add', '--name', 'Someone', '--email', 'pat.lee@EXAMPLE.com'),
      gatehouse('users', 'add', '--name', 'Someone', '--email', 'not-an-address'),
      gatehouse('users', 'add', '--email', 'x@example.com'),
    ]);
    expect(taken).toMatchObject({ code: 1, stdout: '' });
    expect(taken.errLines).toEqual(['gatehouse: a user with e-mail pat.lee@EXAMPLE.com exists']);
    expect(badEmail.code).toBe(2);
    expect(badEmail.errLines).toEqual(['gatehouse: --email: Invalid email address']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch("required option '--name <name>' not specified");
  });
});

describe('projects list', () => {
  it('lists the read model as a table or JSON, with filters', async () => {
    const empty = await Promise.all([
      gatehouse('projects', 'list'),
      gatehouse('projects', 'list', '--json'),
    ]);
    expect(empty.map((r) => [r.code, r.stdout])).toEqual([
      [0, 'no projects\n'],
      [0, '[]\n'],
    ]);

    const startedAt = Date.UTC(2025, 2, 1, 9, 30);
    const { state } = startProject(
      {
        projectId: 'p-cli-1',
        name: 'CRM rollout',
        template: miniTemplate,
        version: 1,
        participants: miniParticipants,
        startedBy: 'pmo',
      },
      startedAt,
    ).machine;
    await upsertProjectSnapshot(db, state);

    const [table, json, filteredOut, badStatus] = await Promise.all([
      gatehouse('projects', 'list'),
      gatehouse('projects', 'list', '--json', '--status', 'active', '--template', 'mini'),
      gatehouse('projects', 'list', '--json', '--status', 'completed'),
      gatehouse('projects', 'list', '--status', 'paused'),
    ]);
    expect(table.code).toBe(0);
    const [header, row, ...rest] = table.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual([
      'ID',
      'NAME',
      'TEMPLATE',
      'STATUS',
      'CURRENT',
      'UPDATED',
    ]);
    expect(row!.split(/\s{2,}/)).toEqual([
      'p-cli-1',
      'CRM rollout',
      'mini@1',
      'active',
      state.current.join(','),
      '2025-03-01T09:30:00Z',
    ]);
    expect(rest).toEqual([]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: 'p-cli-1', name: 'CRM rollout', status: 'active' }),
    ]);
    expect(JSON.parse(filteredOut.stdout)).toEqual([]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch('Allowed choices are active, on_hold');
  });
});

describe('usage', () => {
  it('prints help through the launcher; unknown commands and options exit 2', async () => {
    const [help, nestedHelp, version, unknownCommand, unknownOption] = await Promise.all([
      gatehouse('--help'),
      gatehouse('template', 'export', '--help'),
      gatehouse('--version'),
      gatehouse('templates'),
      gatehouse('projects', 'list', '--colour'),
    ]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: gatehouse \[options\] \[command\]/);
    expect(nestedHelp.code).toBe(0);
    expect(nestedHelp.stdout).toMatch(/^Usage: gatehouse template export \[options\] <key>/);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch("error: unknown command 'templates'");
    expect(unknownCommand.stderr).toMatch('(Did you mean template?)');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch("error: unknown option '--colour'");
  });

  // In-process: the same program, without a process per command.
  const commands = allCommands(buildProgram());
  it.each(commands.map((c) => [c.names.join(' ') || '(root)', c] as const))(
    'gatehouse %s --help shows usage, a description and examples',
    async (_label, { names, group }) => {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await runCli([...names, '--help'])).toBe(0);
        const text = write.mock.calls.map(([chunk]) => String(chunk)).join('');
        expect(text).toMatch(new RegExp(`^Usage: ${['gatehouse', ...names].join(' ')} `));
        // Groups list their commands; each runnable command shows how to call it.
        expect(text).toMatch(group ? /\nCommands:\n/ : /\nExamples:\n {2}\$ (\S+=\S+ )*gatehouse /);
      } finally {
        write.mockRestore();
      }
    },
  );
});

/** Every command path, the root (`[]`) included; a group is one with subcommands. */
function allCommands(
  command: Command,
  names: string[] = [],
): { names: string[]; group: boolean }[] {
  return [
    { names, group: command.commands.length > 0 },
    ...command.commands.flatMap((sub) => allCommands(sub, [...names, sub.name()])),
  ];
}
