/**
 * The stack of a trust test (issue 13), registered in the calling `describe`: an API stack on
 * one database, the PMO and people of the test named with `prefix` (see `people`), and a
 * stranger, `<prefix>-stranger`, who holds no seat. The stack is itself the test's `People`, so
 * it is what `startOn` takes.
 */
import type { DatabaseFactory } from '../support/databases';
import { startApiStack, type ApiStack, type TestUser } from './stack';
import { people, type People } from './trust-support';

export interface TrustStack extends People {
  readonly api: ApiStack;
  readonly stranger: TestUser;
}

export function trustStack(factory: DatabaseFactory, prefix: string): TrustStack {
  // Filled in before the tests run, as a file's `let` variables would be: read it in tests.
  const stack = {} as TrustStack;
  beforeAll(async () => {
    const api = await startApiStack(factory);
    const seated = await people(api, prefix);
    Object.assign(stack, { api, ...seated, stranger: await api.user(`${prefix}-stranger`) });
  });
  afterAll(async () => stack.api.stop());
  return stack;
}
