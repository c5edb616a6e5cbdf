/** `gatehouse users add`: a user and their API token, created together and shown once. */
import { appendAdminAudit, createToken, insertUser } from '../../db';
import { CreateUserBody } from '../../server/contract';
import { withDatabase } from '../database';
import { CliError, EXIT } from '../errors';

export interface AddUserOptions {
  name: string;
  email: string;
  pmo?: boolean;
  admin?: boolean;
}

export async function addUser(options: AddUserOptions): Promise<void> {
  // The API's own rules for a new user, so both doors accept the same people.
  const parsed = CreateUserBody.safeParse({
    name: options.name,
    email: options.email,
    pmo: options.pmo === true,
    admin: options.admin === true,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`--${String(issue.path[0])}: ${issue.message}`, EXIT.usage);
  }
  const { sso: _sso, ...input } = parsed.data;
  // One transaction: never a user without a token, nor a token for a user not created.
  const created = await withDatabase((db) =>
    db.transaction().execute(async (trx) => {
      const inserted = await insertUser(trx, input);
      if (!inserted.ok) return undefined;
      const { id, token, expiresAt } = await createToken(
        trx,
        inserted.user.id,
        'created by gatehouse users add',
      );
      const { user } = inserted;
      await appendAdminAudit(
        trx,
        {
          actor: 'cli',
          action: 'user.created',
          target: user.id,
          detail: { email: user.email, pmo: user.pmo, admin: user.admin },
        },
        { actor: 'cli', action: 'token.created', target: id, detail: { user: user.id, expiresAt } },
      );
      return { user, token };
    }),
  );
  if (created === undefined) throw new CliError(`a user with e-mail ${input.email} exists`);
  const { user, token } = created;
  const flags = [user.pmo && 'pmo', user.admin && 'admin'].filter(Boolean).join(', ');
  console.log(`created user ${user.id}: ${user.name} <${user.email}>${flags && ` (${flags})`}`);
  console.log(`token: ${token}`);
  console.error(
    'gatehouse: warning: this token will not be shown again (only its hash is stored); keep it now',
  );
}
