/** Users and notifications shared by the activity tests. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { insertUser } from '../../db/users';
import type { Notification } from '../../workflows/model/state';

/** Seeds Ann (PMO) and Ben; Nobody is a recipient without a user row. */
export async function seedUsers(db: Kysely<Database>): Promise<void> {
  await insertUser(db, { id: 'u-ann', name: 'Ann Ops', email: 'ann@example.com', pmo: true });
  await insertUser(db, { id: 'u-ben', name: 'Ben PM', email: 'ben@example.com' });
}

let counter = 0;

/** A notification with a fresh key unless one is given. */
export function notification(extra: Partial<Notification> = {}): Notification {
  counter += 1;
  return {
    key: `test-${process.pid}-${counter}`,
    projectId: 'p-billing',
    projectName: 'Billing migration',
    kind: 'action-required',
    nodeId: 'inception',
    recipients: ['u-ann', 'u-ben'],
    subject: 'Inception gate: your sign-off is needed',
    text: 'Please review the operational stakeholder map & sign off <today>.',
    at: Date.UTC(2030, 0, 2, 9, 30),
    ...extra,
  };
}

/** What `promise` rejected with; fails the test when it resolves or rejects with a non-Error. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${JSON.stringify(error)}`);
  }
  throw new Error('expected a rejection, but it resolved');
}
