/**
 * PostgreSQL refusing the login (db/availability.ts `loginRefused`): which codes are a refusal
 * no wait cures, and the one line a process prints for it — the server and the user of the
 * pool's URL, PostgreSQL's reason, what to check, never the password. The processes that print
 * it, on a cluster that checks passwords: test/ops/pg-password.test.ts.
 */
import { DatabaseLoginRefused, databaseUnavailable, loginRefused } from '../../db';

/** An error as pg makes them: PostgreSQL's message and code. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const URL_WITH_PASSWORD = 'postgres://gh_app:s3cret-pw@db.internal:6432/gatehouse';

it('names the server, the user and what to check for a wrong password, never the password', () => {
  const cause = pgError('28P01', 'password authentication failed for user "gh_app"');
  const refused = loginRefused(new Error('wrapped', { cause }), URL_WITH_PASSWORD);
  expect(refused).toBeInstanceOf(DatabaseLoginRefused);
  expect(refused).toMatchObject({
    code: '28P01',
    cause,
    message:
      'the app database at db.internal:6432 refused the login: password authentication failed ' +
      'for user "gh_app" (28P01); check the password of user "gh_app" in DATABASE_URL',
  });
  expect(refused!.message).not.toContain('s3cret-pw');
  // Not a failure to reach the database: the start-up does not wait for it.
  expect(databaseUnavailable(cause)).toBeUndefined();
});

it.each([
  [
    '28000',
    'role "nobody" does not exist',
    "check the user in DATABASE_URL and the server's pg_hba.conf",
  ],
  ['3D000', 'database "nowhere" does not exist', 'check the database name in DATABASE_URL'],
])('says what to check for %s', (code, message, hint) => {
  expect(loginRefused(pgError(code, message), URL_WITH_PASSWORD)?.message).toBe(
    `the app database at db.internal:6432 refused the login: ${message} (${code}); ${hint}`,
  );
});

it("falls back on pg's defaults, or names no server for a URL it cannot read", () => {
  const error = pgError('28P01', 'password authentication failed for user "root"');
  expect(loginRefused(error, 'postgres:///gatehouse?host=/run/postgresql')?.message).toBe(
    'the app database at /run/postgresql:5432 refused the login: password authentication ' +
      'failed for user "root" (28P01); check the password in DATABASE_URL',
  );
  expect(loginRefused(error, 'not a url')?.message).toBe(
    'the app database refused the login: password authentication failed for user "root" ' +
      '(28P01); check the password in DATABASE_URL',
  );
});

it('leaves alone what is not a refused login', () => {
  expect(loginRefused(pgError('ECONNREFUSED', 'connect ECONNREFUSED'))).toBeUndefined();
  expect(loginRefused(pgError('42P01', 'relation "x" does not exist'))).toBeUndefined();
  expect(loginRefused('28P01')).toBeUndefined();
});
