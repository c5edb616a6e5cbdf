/**
 * The administration commands of `gatehouse`: the audit trails' hash chains, tokens and user
 * accounts. Operators run them with the database's credentials, so they need no API token;
 * what they change is written to the admin audit trail as done by `cli`.
 */
import type { Command } from 'commander';

export function addAuditCommands(program: Command, examples: (...lines: string[]) => string): void {
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
