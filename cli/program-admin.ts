/**
 * The administration commands of `gatehouse`: the audit trails' hash chains, tokens and user
 * accounts. Operators run them with the database's credentials, so they need no API token;
 * what they change is written to the admin audit trail as done by `cli`.
 */
import { InvalidArgumentError, type Command } from 'commander';

type Examples = (...lines: string[]) => string;

export function addAdminCommands(program: Command, examples: Examples): void {
  addAuditCommands(program, examples);
  addTokenCommands(program, examples);
  addAccountCommands(program, examples);
}

function addAuditCommands(program: Command, examples: Examples): void {
  const audit = program.command('audit').description('check the tamper-evident audit trails');
  audit
    .command('verify')
    .description(
      're-compute the hash chain of a project audit trail (or of every trail and the admin ' +
        'trail) and name the first broken entry',
    )
    .argument('[project]', 'a project id (default: every project, then the admin trail)')
    .addHelpText(
      'after',
      examples('gatehouse audit verify', 'gatehouse audit verify 3f6c…') +
        '\nPrints ok: or broken: per trail; exit code 1 when a trail is broken.',
    )
    .action(async (project: string | undefined) => {
      await (await import('./commands/audit.js')).verify(project);
    });
}

function addTokenCommands(program: Command, examples: Examples): void {
  const tokens = program
    .command('tokens')
    .description('list, make and revoke API tokens (secrets are shown once, when made)');
  tokens
    .command('list')
    .description("a user's tokens: id, prefix, label, status and expiry (never the secret)")
    .requiredOption('--user <user>', 'user id or e-mail')
    .addHelpText('after', examples('gatehouse tokens list --user pat@example.com'))
    .action(async (options: { user: string }) => {
      await (await import('./commands/tokens.js')).list(options);
    });
  tokens
    .command('create')
    .description('make a token for a user and print it, once')
    .requiredOption('--user <user>', 'user id or e-mail')
    .requiredOption('--label <label>', 'what the token is for')
    .option('--expires-in-days <days>', 'days until it expires, 1..365 (default 90)', days)
    .addHelpText(
      'after',
      examples('gatehouse tokens create --user admin --label "recovery" --expires-in-days 1'),
    )
    .action(async (options: { user: string; label: string; expiresInDays?: number }) => {
      await (await import('./commands/tokens.js')).create(options);
    });
  tokens
    .command('revoke')
    .description('revoke a token for good (its sessions end too)')
    .argument('<id>', 'the token id (gatehouse tokens list)')
    .addHelpText('after', examples('gatehouse tokens revoke 5b0c…'))
    .action(async (id: string) => {
      await (await import('./commands/tokens.js')).revoke(id);
    });
}

function addAccountCommands(program: Command, examples: Examples): void {
  const users = program.commands.find((c) => c.name() === 'users');
  if (!users) throw new Error('the users command group is missing');
  users
    .command('list')
    .description('the users by name: id, name, e-mail, deactivated or not')
    .option('--search <words>', 'only users whose name or e-mail contains every word')
    .option('--json', 'print a JSON array')
    .addHelpText('after', examples('gatehouse users list --search "ops"'))
    .action(async (options: { search?: string; json?: boolean }) => {
      await (await import('./commands/accounts.js')).listUsers(options);
    });
  const change = (name: string, description: string, run: (who: string) => Promise<void>) =>
    users
      .command(name)
      .description(description)
      .argument('<user>', 'user id or e-mail')
      .addHelpText('after', examples(`gatehouse users ${name} pat@example.com`))
      .action(run);
  const accounts = () => import('./commands/accounts.js');
  change(
    'deactivate',
    'deactivate a user: tokens revoked and sessions ended at once, the PMO told whom to reassign',
    async (who) => (await accounts()).change(who, { active: false }, 'deactivated'),
  );
  change('activate', 'reactivate a deactivated user (they need a new token)', async (who) =>
    (await accounts()).change(who, { active: true }, 'reactivated'),
  );
  for (const [name, grant] of [
    ['grant', true],
    ['remove-role', false],
  ] as const) {
    users
      .command(name)
      .description(grant ? 'grant the PMO or admin role' : 'remove the PMO or admin role')
      .argument('<user>', 'user id or e-mail')
      .argument('<role>', 'pmo or admin', role)
      .addHelpText('after', examples(`gatehouse users ${name} pat@example.com pmo`))
      .action(async (who: string, which: 'pmo' | 'admin') => {
        const done = grant ? `${which} granted` : `${which} removed`;
        await (await accounts()).change(who, { [which]: grant }, done);
      });
  }
}

function days(value: string): number {
  const n = Number(value);
  if (!/^\d{1,3}$/.test(value) || n < 1 || n > 365) {
    throw new InvalidArgumentError('expected 1..365');
  }
  return n;
}

function role(value: string): 'pmo' | 'admin' {
  if (value !== 'pmo' && value !== 'admin') throw new InvalidArgumentError('expected pmo or admin');
  return value;
}
