/**
 * The `gatehouse` command line: every command, option, description and example. The work is
 * in ./commands, loaded only when a command runs, so `--help` and typos stay fast, and the
 * process commands (start, api, worker) import their entry modules, which run on import.
 * `import()` takes ES module specifiers, hence `.js`: tsx (and tsc) map it to the `.ts` file.
 */
import { Command, InvalidArgumentError } from 'commander';
import { PROJECT_STATUSES } from '../workflows/model/state';
import { version } from '../package.json';
// Types only: the modules load when their command runs.
import type { MigrateOptions } from './commands/migrate';
import type { ListOptions } from './commands/projects';
import type { AddUserOptions } from './commands/users';
import { addAdminCommands } from './program-admin';

/** Builds the program; `exitOverride` makes commander throw instead of exiting (see run.ts). */
export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('Gatehouse: stage-gate lifecycles designed as data, run as Temporal workflows.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    // Options of `gatehouse` itself only before a command: `export --version 2` is the export's.
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program.addHelpText(
    'after',
    examples(
      'gatehouse start                       # the embedded default, as npm start',
      'gatehouse migrate                     # bring the app database to this build',
      'gatehouse template validate my.json   # check a template file',
      'gatehouse users add --name "Pat Lee" --email pat@example.com --pmo',
      'gatehouse projects list --status active',
      'gatehouse records repair              # rebuild read models, settle dead letters',
      'gatehouse help template               # the template commands',
    ) +
      '\nThe app database is DATABASE_URL (default sqlite:./data/gatehouse.db).\n' +
      'Exit codes: 0 done, 1 failed (invalid, unknown, taken), 2 usage or unreadable input.',
  );

  addProcessCommands(program);
  addMigrateCommand(program);
  addTemplateCommands(program);
  addUserCommands(program);
  addProjectCommands(program);
  addAdminCommands(program, examples);
  addRecordCommands(program);
  return program;
}

function addProcessCommands(program: Command): void {
  program
    .command('start')
    .description(
      'run the embedded default: a Temporal dev server, the worker, the API and the designer ' +
        'in one process, data under ./data (same as npm start)',
    )
    .addHelpText(
      'after',
      examples('gatehouse start', 'PORT=9090 GATEHOUSE_DATA_DIR=/tmp/gh gatehouse start') +
        '\nConfigured by the environment (PORT, HOST, GATEHOUSE_DATA_DIR, DATABASE_URL, …; see ' +
        'README). Ctrl-C stops everything.',
    )
    .action(async () => {
      await import('../scripts/start.js');
    });
  program
    .command('api')
    .description('run the HTTP API alone, against an existing Temporal server and database')
    .addHelpText(
      'after',
      examples('TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgres://… gatehouse api') +
        '\nConfigured by the environment (PORT, HOST, DATABASE_URL, TEMPORAL_ADDRESS, …; see ' +
        'README).',
    )
    .action(async () => {
      await import('../server/main.js');
    });
  program
    .command('worker')
    .description('run a worker: the project workflows and their activities, on a task queue')
    .addHelpText(
      'after',
      examples('TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgres://… gatehouse worker') +
        '\nConfigured by the environment (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, DATABASE_URL, ' +
        'SMTP_URL, …; see README).',
    )
    .action(async () => {
      await import('../worker/main.js');
    });
}

function addMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      "apply the app database's migrations (the API, the workers and the other commands never " +
        'migrate: they refuse a schema this build does not know)',
    )
    .option(
      '--to <migration>',
      'migrate up or down to this migration of the build (a rollback runs the down of each later one)',
    )
    .addHelpText(
      'after',
      examples(
        'DATABASE_URL=postgres://… gatehouse migrate',
        'gatehouse migrate --to 0003_api        # undo what a later build added',
      ) +
        '\nBack the database up first (README, Backing up). Exit code 1 when the database holds ' +
        'migrations this build does not know (a newer build migrated it) or a migration fails.',
    )
    .action(async (options: MigrateOptions) => {
      await (await import('./commands/migrate.js')).migrate(options);
    });
}

function addTemplateCommands(program: Command): void {
  const template = program
    .command('template')
    .description('check gate template files, import them into the app database, export them');
  template
    .command('validate')
    .description(
      'check a template JSON file: its shape and every lifecycle rule; prints each error as ' +
        '<path> [<code>] <message>',
    )
    .argument('<file>', 'a gatehouse/template@1 JSON file')
    .addHelpText(
      'after',
      examples('gatehouse template validate templates/rollout.json') +
        '\nExit code 1 when the template is invalid, 2 when the file cannot be read or is not JSON.',
    )
    .action(async (file: string) => {
      await (await import('./commands/template.js')).validate(file);
    });
  template
    .command('import')
    .description(
      'validate a template file, save it as the draft of its key and publish it as the next ' +
        'version (nothing is written when it is invalid)',
    )
    .argument('<file>', 'a gatehouse/template@1 JSON file')
    .option('--draft-only', 'save the draft (replacing the current one) without publishing')
    .addHelpText(
      'after',
      examples(
        'gatehouse template import templates/rollout.json',
        'DATABASE_URL=postgres://… gatehouse template import rollout.json --draft-only',
      ) + '\nImporting what the latest version already holds publishes nothing (prints unchanged).',
    )
    .action(async (file: string, options: { draftOnly?: boolean }) => {
      await (await import('./commands/template.js')).importTemplate(file, options);
    });
  template
    .command('export')
    .description('write a published template version as JSON (the latest unless --version)')
    .argument('<key>', 'the template key, e.g. ops-integrated-delivery')
    .option('--version <n>', 'a published version number (default: the latest)', versionNumber)
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      examples(
        'gatehouse template export ops-integrated-delivery > delivery.json',
        'gatehouse template export ops-integrated-delivery --version 1 --out delivery-v1.json',
      ),
    )
    .action(async (key: string, options: { version?: number; out?: string }) => {
      await (await import('./commands/template.js')).exportTemplate(key, options);
    });
  template
    .command('impact')
    .description(
      'what a template change would do to every running project of its template, read from ' +
        'their workflow histories: one line per project (unchanged, differs or blocked, and ' +
        'why), then the counts (needs DATABASE_URL and Temporal, as `records repair`)',
    )
    .argument('<file|key>', 'a template JSON file (a draft), or a key: its saved draft')
    .option('--version <n>', 'with a key: analyse this published version instead', versionNumber)
    .addHelpText(
      'after',
      examples(
        'gatehouse template impact rollout-v2.json',
        'gatehouse template impact ops-integrated-delivery',
        'gatehouse template impact ops-integrated-delivery --version 3',
      ),
    )
    .action(async (target: string, options: { version?: number }) => {
      await (await import('./commands/impact.js')).impact(target, options);
    });
  template
    .command('migrate')
    .description(
      'move running projects of a template to a published version in one durable job (a ' +
        'worker must run): the projects named, or those an impact analysis found unchanged; ' +
        'prints the ones that refused and why (needs DATABASE_URL and Temporal)',
    )
    .argument('<key>', 'the template key')
    .argument('[ids...]', 'the project ids (with --from-impact: a subset of the analysis)')
    .requiredOption('--version <n>', 'the published version to move them to', versionNumber)
    .option('--from-impact <job>', 'an impact analysis of that version (its unchanged projects)')
    .addHelpText(
      'after',
      examples(
        'gatehouse template migrate ops-integrated-delivery --version 3 p-1 p-2',
        'gatehouse template migrate ops-integrated-delivery --version 3 --from-impact 0b6e…',
      ),
    )
    .action(
      async (key: string, ids: string[], options: { version: number; fromImpact?: string }) => {
        await (await import('./commands/template-migrate.js')).migrate(key, ids, options);
      },
    );
}

function addUserCommands(program: Command): void {
  const users = program.command('users').description('manage Gatehouse users');
  users
    .command('add')
    .description('create a user and print their API token, which is shown only this once')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--email <email>', 'e-mail address (unique, any letter case)')
    .option('--pmo', 'may design and publish templates and start projects')
    .option('--admin', 'may manage users')
    .addHelpText(
      'after',
      examples(
        'gatehouse users add --name "Pat Lee" --email pat@example.com --pmo',
        'gatehouse users add --name Ops --email ops@example.com | sed -n "s/^token: //p"',
      ) + '\nExit code 1 when the e-mail is taken.',
    )
    .action(async (options: AddUserOptions) => {
      await (await import('./commands/users.js')).addUser(options);
    });
}

function addProjectCommands(program: Command): void {
  const projects = program.command('projects').description('look at projects (the read model)');
  projects
    .command('list')
    .description(
      'list projects, newest first: id, name, template@version, status, current, updated',
    )
    .addOption(
      program
        .createOption('--status <status>', 'only projects in this status')
        .choices(PROJECT_STATUSES),
    )
    .option('--template <key>', 'only projects of this template (any version)')
    .option('--json', 'print the projects as a JSON array instead of a table')
    .addHelpText(
      'after',
      examples(
        'gatehouse projects list',
        'gatehouse projects list --status active --template ops-integrated-delivery',
        'gatehouse projects list --json',
      ),
    )
    .action(async (options: ListOptions) => {
      await (await import('./commands/projects.js')).list(options);
    });
}

function addRecordCommands(program: Command): void {
  const records = program
    .command('records')
    .description('check and repair what the workers record (read model, inbox, audit trail)');
  records
    .command('repair')
    .description(
      'rebuild the read model and inbox of one project (or all) from its workflow, mark ' +
        'projects ended outside Gatehouse terminated, and write dead-lettered records again; ' +
        'prints what it changed',
    )
    .argument('[project]', 'a project id (default: every project)')
    .addHelpText(
      'after',
      examples(
        'gatehouse records repair',
        'TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgres://… gatehouse records repair 3f2a…',
      ) +
        '\nNeeds Temporal (TEMPORAL_ADDRESS, …) and a worker polling, to read closed workflows.' +
        '\nExit code 1 when a project could not be fully repaired (each problem is printed).',
    )
    .action(async (project: string | undefined) => {
      await (await import('./commands/records.js')).repair(project);
    });
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

function versionNumber(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidArgumentError('expected 1, 2, 3, …');
  return Number(value);
}
