/**
 * Every event a test reads through the SSE client (./sse-client) is checked against the events
 * the OpenAPI document declares for the stream (test/support/answer-check.ts). Here: that the
 * check catches what the document does not declare — an event name, a property of its data,
 * a field, an `id:`, another `retry:` — over a real port, from a stream written by hand and
 * from the real app checked against a document that declares less than it sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiDocument } from '../../server/openapi';
import { createAnswerChecker } from '../support/answer-check';
import { databaseFactory } from '../support/databases';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack } from './stack';

type Document = ReturnType<typeof openApiDocument> & {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties: object; required: string[] }> };
};

/** Reads the stream to its end (the server closes it), as a test would. */
async function drain(stream: SseStream): Promise<string[]> {
  const names: string[] = [];
  for (let event = await stream.next(); event; event = await stream.next()) names.push(event.event);
  return names;
}

describe('a stream written by hand, on a real port', () => {
  let server: http.Server;
  let baseUrl: string;
  let frames = '';

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frames);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function read(text: string): Promise<{ names: string[]; found: string[] }> {
    frames = text;
    const checker = createAnswerChecker();
    const stream = await SseStream.open(`${baseUrl}/api/projects/p1/events`, {}, { checker });
    const names = await drain(stream);
    return { names, found: checker.take() };
  }

  it('passes what the document declares', async () => {
    const text = 'retry: 2000\n\n: keep-alive\n\nevent: end\ndata: {"status":"killed"}\n\n';
    expect(await read(text)).toEqual({ names: ['end'], found: [] });
  });

  it('fails an event, a data property, a field, an id and a retry the document does not declare', async () => {
    const text = [
      'retry: 10\n\n',
      'event: surprise\ndata: {}\n\n',
      'event: end\ndata: {"status":"killed","reason":"x"}\n\n',
      'id: 9\nevent: signed-out\ndata: {}\n\n',
      'colour: red\n\n',
    ].join('');
    const at = 'events: GET /api/projects/p1/events';
    expect(await read(text)).toEqual({
      // The client still hands each event on: the check reports, the test fails after it.
      names: ['surprise', 'end', 'signed-out'],
      found: [
        `${at} event retry: /retry must be equal to constant`,
        `${at} event surprise: event surprise is not declared (state, end, signed-out)`,
        `${at} event end: /data/reason is not declared`,
        `${at} event signed-out: /id is not declared`,
        `${at} event colour: / must have required property 'retry'; /colour is not declared`,
      ],
    });
  });
});

describe('the real app, checked against a document that declares less', () => {
  let api: ApiStack;

  beforeAll(async () => {
    api = await startApiStack(databaseFactory('sqlite'), {}, { worker: false });
  });
  afterAll(async () => api?.stop());

  /** The first inbox event of a fresh user's stream, checked against `document`. */
  async function firstInboxEvent(document: Document, user: string) {
    const checker = createAnswerChecker(document);
    const { token } = await api.user(user);
    const stream = await SseStream.open(
      `${api.baseUrl}/api/inbox/events`,
      { authorization: `Bearer ${token}` },
      { checker },
    );
    try {
      expect(stream.status).toBe(200);
      return { event: await stream.next(), found: checker.take() };
    } finally {
      await stream.close();
    }
  }

  it('passes the real events against the real document', async () => {
    const { event, found } = await firstInboxEvent(openApiDocument() as Document, 'ivy');
    expect(event?.event).toBe('inbox');
    expect(found).toEqual([]);
  });

  it('fails a property of the data the document does not declare', async () => {
    const document = openApiDocument() as Document;
    const counts = document.components.schemas.InboxCounts!;
    const { actions: _actions, ...declared } = counts.properties as Record<string, unknown>;
    counts.properties = declared;
    counts.required = counts.required.filter((name) => name !== 'actions');
    const { event, found } = await firstInboxEvent(document, 'ida');
    expect(event?.event).toBe('inbox');
    expect(found).toEqual([
      'inboxEvents: GET /api/inbox/events event inbox: /data/actions is not declared',
    ]);
  });

  it('fails an event the document does not declare', async () => {
    const document = openApiDocument() as Document;
    const content = (
      document.paths['/api/inbox/events']!.get!.responses['200'] as {
        content: { 'text/event-stream': { itemSchema: { oneOf: { title: string }[] } } };
      }
    ).content['text/event-stream'];
    content.itemSchema.oneOf = content.itemSchema.oneOf.filter((a) => a.title !== 'inbox');
    const { event, found } = await firstInboxEvent(document, 'ike');
    expect(event?.event).toBe('inbox');
    expect(found).toEqual([
      'inboxEvents: GET /api/inbox/events event inbox: event inbox is not declared (signed-out)',
    ]);
  });
});
