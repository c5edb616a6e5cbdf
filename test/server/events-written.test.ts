/**
 * Every event an app of the test stack writes is checked against the OpenAPI document as the
 * server writes it (`AppDeps.inspectStream`, installed by `withAnswerCheck`), whoever reads the
 * stream: the designer of a browser test reads it with its own client, never the test SSE
 * client (./sse-client). Here the streams are read as a browser reads them, by a plain fetch
 * that checks nothing: a wrongly shaped event fails the test (test/support/answers-after-each.ts),
 * naming the route, the event and the JSON path; a right one passes.
 */
import * as inboxStore from '../../db/inbox';
import { openApiDocument } from '../../server/openapi';
import { assertSharedAnswersMatch, createAnswerChecker } from '../support/answer-check';
import { databaseFactory } from '../support/databases';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack } from './stack';

let api: ApiStack;

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {}, { worker: false });
});
afterAll(async () => api?.stop());

/** The text of `stack`'s inbox stream for `token`, read until its first `inbox` event. */
async function firstInboxText(stack: ApiStack, token: string): Promise<string> {
  const abort = new AbortController();
  const response = await fetch(`${stack.baseUrl}/api/inbox/events`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    while (!/event: inbox\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    abort.abort();
  }
  return text;
}

it('passes the events the server writes as declared', async () => {
  const { token } = await api.user('ana');
  expect(await firstInboxText(api, token)).toMatch(/^retry: \d+\n\nid: .*\nevent: inbox\n/);
  expect(() => assertSharedAnswersMatch()).not.toThrow();
});

it('fails the test when the server writes a property the document does not declare', async () => {
  const { token } = await api.user('bob');
  const summarize = inboxStore.summarizeInbox;
  const spy = jest
    .spyOn(inboxStore, 'summarizeInbox')
    .mockImplementation(async (db, user) => ({ ...(await summarize(db, user)), surprise: 1 }));
  try {
    expect(await firstInboxText(api, token)).toContain('"surprise":1');
  } finally {
    spy.mockRestore();
  }
  // What the test file's check runs after each test: it fails this one (and clears the report).
  expect(() => assertSharedAnswersMatch()).toThrow(
    /\ninboxEvents: GET \/api\/inbox\/events event inbox: \/data\/surprise is not declared$/,
  );
});

it('checks what the app writes against the document it is given, and tells it once', async () => {
  const document = openApiDocument() as ReturnType<typeof openApiDocument> & {
    components: { schemas: Record<string, { properties: object; required: string[] }> };
  };
  const counts = document.components.schemas.InboxCounts!;
  const { actions: _actions, ...declared } = counts.properties as Record<string, unknown>;
  counts.properties = declared;
  counts.required = counts.required.filter((name) => name !== 'actions');
  const strict = createAnswerChecker(document);
  const stack = await startApiStack(
    databaseFactory('sqlite'),
    { inspectStream: strict.inspectStream },
    { worker: false },
  );
  try {
    const { token } = await stack.user('cai');
    const wrong = 'inboxEvents: GET /api/inbox/events event inbox: /data/actions is not declared';
    await firstInboxText(stack, token);
    expect(strict.take()).toEqual([wrong]);
    // Written and read through the test SSE client, which checks it too: one report.
    const stream = await SseStream.open(
      `${stack.baseUrl}/api/inbox/events`,
      { authorization: `Bearer ${token}` },
      { checker: strict },
    );
    expect((await stream.next())?.event).toBe('inbox');
    await stream.close();
    expect(strict.take()).toEqual([wrong]);
  } finally {
    await stack.stop();
  }
});
