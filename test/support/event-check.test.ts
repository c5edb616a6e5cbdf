/**
 * The check of event-stream items (./event-check, through ./answer-check): an event's JSON
 * `data` read in place of its string, closed like every answer; an event name, a field or an
 * `id:` the document does not declare fails, naming the route, the event and the JSON path.
 * On a small document of its own, and on the API's document for its real events.
 */
import { openApiDocument } from '../../server/openapi';
import { createAnswerChecker } from './answer-check';
import { decodedEvents } from './event-check';
import { closedDocument } from './strict-answers';

const Counts = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
  },
  required: ['total'],
};
const Item = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const json = (schema: unknown) => ({
  type: 'string',
  contentMediaType: 'application/json',
  contentSchema: schema,
});
const document = {
  openapi: '3.2.0',
  components: { schemas: { Counts, Item } },
  paths: {
    '/s/{id}/events': {
      get: {
        operationId: 'stream',
        responses: {
          '200': {
            content: {
              'text/event-stream': {
                itemSchema: {
                  oneOf: [
                    {
                      type: 'object',
                      properties: {
                        event: { const: 'counts' },
                        data: json({ $ref: '#/components/schemas/Counts' }),
                        id: { type: 'string' },
                      },
                      required: ['event', 'data', 'id'],
                    },
                    {
                      type: 'object',
                      properties: {
                        event: { const: 'bye' },
                        data: json({ type: 'object', properties: {} }),
                      },
                      required: ['event', 'data'],
                    },
                    {
                      type: 'object',
                      properties: { retry: { const: 2000 } },
                      required: ['retry'],
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
  },
};

describe('the transform', () => {
  it("declares each event's data by the JSON it holds, in a copy closed like an answer", () => {
    const before = JSON.stringify(document);
    const decoded = decodedEvents(closedDocument(document)) as typeof document;
    expect(JSON.stringify(document)).toBe(before);
    const [counts, bye, retry] =
      decoded.paths['/s/{id}/events'].get.responses['200'].content['text/event-stream'].itemSchema
        .oneOf;
    expect(counts!.properties.data).toEqual({ $ref: '#/components/schemas/Counts' });
    expect(bye!.properties.data).toEqual({
      type: 'object',
      properties: {},
      unevaluatedProperties: false,
    });
    expect(retry).toMatchObject({ properties: { retry: { const: 2000 } } });
    // Every alternative closed: a field SSE has, but the alternative does not declare, fails.
    for (const alternative of [counts, bye, retry]) {
      expect(alternative).toMatchObject({ unevaluatedProperties: false });
    }
  });
});

describe('the check', () => {
  const checker = createAnswerChecker(document);
  const url = 'http://127.0.0.1:1/s/x1/events?since=1';
  const counts = (data: unknown, id: string | null = '1') => ({
    event: 'counts',
    data: JSON.stringify(data),
    ...(id !== null && { id }),
  });

  it('passes the events and the retry frame as declared', () => {
    checker.inspectEvent(url, counts({ total: 1, items: [{ id: 'a' }] }));
    checker.inspectEvent(url, { event: 'bye', data: '{}' });
    checker.inspectEvent(url, { retry: 2000 });
    expect(checker.take()).toEqual([]);
  });

  it.each([
    [
      'an event name not declared',
      { event: 'surprise', data: '{}' },
      'stream: GET /s/x1/events?since=1 event surprise: event surprise is not declared (counts, bye)',
    ],
    [
      'an event without a name (a message)',
      { data: '{}' },
      'stream: GET /s/x1/events?since=1 event message: event message is not declared (counts, bye)',
    ],
    [
      'a property of the data not declared',
      counts({ total: 1, secret: 's' }),
      'stream: GET /s/x1/events?since=1 event counts: /data/secret is not declared',
    ],
    [
      'an undeclared property deep in the data, in a component',
      counts({ total: 1, items: [{ id: 'a', note: 'n' }] }),
      'stream: GET /s/x1/events?since=1 event counts: /data/items/0/note is not declared',
    ],
    [
      'data of the wrong type',
      counts({ total: 'one' }),
      'stream: GET /s/x1/events?since=1 event counts: /data/total must be integer',
    ],
    [
      'data that is not JSON',
      { event: 'counts', data: 'total=1', id: '1' },
      'stream: GET /s/x1/events?since=1 event counts: /data is not JSON',
    ],
    [
      'a missing id',
      counts({ total: 1 }, null),
      "stream: GET /s/x1/events?since=1 event counts: / must have required property 'id'",
    ],
    [
      'an id on an event declared without one',
      { event: 'bye', data: '{}', id: '7' },
      'stream: GET /s/x1/events?since=1 event bye: /id is not declared',
    ],
    [
      'another retry',
      { retry: 10 },
      'stream: GET /s/x1/events?since=1 event retry: /retry must be equal to constant',
    ],
    [
      'a field SSE does not know',
      { colour: 'red' },
      "stream: GET /s/x1/events?since=1 event colour: / must have required property 'retry'; /colour is not declared",
    ],
  ])('catches %s', (_what, item, message) => {
    checker.inspectEvent(url, item);
    expect(checker.take()).toEqual([message]);
  });

  it('names a path where the document has no stream', () => {
    checker.inspectEvent('http://127.0.0.1:1/s/x1/other', { event: 'bye', data: '{}' });
    expect(checker.take()).toEqual([
      '/s/x1/other: GET /s/x1/other event bye: no event stream here in the document',
    ]);
  });
});

describe("the API's own streams", () => {
  const checker = createAnswerChecker(openApiDocument());

  it('checks what the streams send against their declared events', () => {
    checker.inspectEvent('/api/projects/p1/events', { retry: 2000 });
    checker.inspectEvent('/api/projects/p1/events', {
      event: 'end',
      data: '{"status":"cancelled"}',
    });
    checker.inspectEvent('/api/inbox/events', { event: 'signed-out', data: '{}' });
    expect(checker.take()).toEqual([]);
    checker.inspectEvent('/api/projects/p1/events', { event: 'end', data: '{"status":"active"}' });
    checker.inspectEvent('/api/projects/p1/events', { event: 'inbox', data: '{}' });
    checker.inspectEvent('/api/inbox/events', { event: 'signed-out', data: '{"why":"x"}' });
    expect(checker.take()).toEqual([
      'events: GET /api/projects/p1/events event end: /data/status must be equal to one of the allowed values',
      'events: GET /api/projects/p1/events event inbox: event inbox is not declared (state, end, signed-out)',
      'inboxEvents: GET /api/inbox/events event signed-out: /data/why is not declared',
    ]);
  });
});
