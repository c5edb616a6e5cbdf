/**
 * What the tests of the live streams (a project's events, the inbox's) share, registered in the
 * calling `describe`: an API stack on one database with the PMO, pat and olga, the other seats
 * of the built-in template filled (mona, sue, stan), and the streams a test opened, closed after
 * it so that none outlives its test.
 */
import type { DatabaseFactory } from '../support/databases';
import type { SseStream } from './sse-client';
import { startApiStack, type ApiStack, type TestUser } from './stack';

export interface LiveStack {
  readonly api: ApiStack;
  readonly pmo: TestUser;
  readonly pat: TestUser;
  readonly olga: TestUser;
  /** Push every stream a test opens: it is closed after the test. */
  readonly streams: SseStream[];
}

export function liveStack(factory: DatabaseFactory): LiveStack {
  // Filled in before the tests run, as a file's `let` variables would be: read it in tests.
  const stack = { streams: [] as SseStream[] } as LiveStack;
  beforeAll(async () => {
    const api = await startApiStack(factory);
    const pmo = await api.user('pmo', { pmo: true });
    const pat = await api.user('pat');
    const olga = await api.user('olga');
    for (const id of ['mona', 'sue', 'stan']) await api.user(id);
    Object.assign(stack, { api, pmo, pat, olga });
  });
  afterEach(async () => {
    await Promise.all(stack.streams.splice(0).map((stream) => stream.close()));
  });
  afterAll(async () => stack.api.stop());
  return stack;
}
