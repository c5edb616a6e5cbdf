/**
 * The answer checker's reading of the event streams (test/support/answer-check.ts): each item
 * a test reads from a stream — one Server-Sent Event, or the frame that sets `retry` — is
 * checked against the alternative the OpenAPI document declares for its `event:` name
 * (`itemSchema`, server/openapi.ts), closed like every answer (./strict-answers.ts): a field,
 * a `data` property or an event name the document does not declare is a mismatch, and so is an
 * `id:` on an event declared without one.
 *
 * The document gives an event's `data` as a string whose content is JSON of a schema
 * (`contentMediaType`, `contentSchema`); JSON Schema only annotates a string's content, so the
 * check reads the data as JSON and validates it in place of the string ({@link decodedEvents}).
 *
 * A stream's text is read into items by {@link streamItems}, as the designer's client reads it:
 * by the test SSE client (test/server/sse-client.ts) and on the server as each stream writes
 * (`AppDeps.inspectStream`, installed by `withAnswerCheck`), so events only a browser reads are
 * checked too.
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { mismatchesOf } from './strict-answers';

type Schema = Record<string, unknown>;

/** One item of a stream as a parser reads it: `event`, `data`, `id` or `retry`, as sent. */
export type StreamItem = Readonly<Record<string, string | number>>;

/**
 * A reader of a stream's text, fed in pieces as they come: parses it as the designer's client
 * does (eventsource-parser: `id:`/`event:`/`data:` fields, comments skipped) and hands `check`
 * each item — each event, the frame that sets `retry`, and a frame of a field SSE does not
 * know (or a `retry:` that is no number) as that field alone — and `onEvent` each event.
 */
export function streamItems(
  check: (item: StreamItem) => void,
  onEvent?: (event: EventSourceMessage) => void,
): (text: string) => void {
  const parser = createParser({
    onEvent: (message) => {
      const { id, event, data } = message;
      check({ ...(event !== undefined && { event }), data, ...(id !== undefined && { id }) });
      onEvent?.(message);
    },
    onRetry: (retry) => check({ retry }),
    onError: (error) => check({ [error.field ?? 'retry']: error.value ?? '' }),
  });
  return (text) => parser.feed(text);
}

const STREAM = 'text/event-stream';
const JSON_TYPE = 'application/json';

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The alternatives (`oneOf`) of each event-stream answer's item schema, where it has one. */
function eachStream(
  document: Record<string, unknown>,
  visit: (path: string, method: string, status: string, alternatives: Schema[]) => void,
): void {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Schema>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const responses = (operation.responses ?? {}) as Record<string, Schema>;
      for (const [status, response] of Object.entries(responses)) {
        const media = (response.content as Record<string, Schema> | undefined)?.[STREAM];
        const items = media?.itemSchema;
        if (isSchema(items) && Array.isArray(items.oneOf)) {
          visit(path, method, status, items.oneOf.filter(isSchema));
        }
      }
    }
  }
}

/** The schema of an alternative's `data` content, when it declares its data to be JSON. */
function jsonContent(alternative: Schema): unknown {
  const data = (alternative.properties as Schema | undefined)?.data;
  return isSchema(data) && data.contentMediaType === JSON_TYPE ? data.contentSchema : undefined;
}

/**
 * The document (changed in place, and answered) with each stream item's JSON `data` declared
 * by the schema of the JSON it holds: the check validates the parsed data.
 */
export function decodedEvents(document: Record<string, unknown>): Record<string, unknown> {
  eachStream(document, (_path, _method, _status, alternatives) => {
    for (const alternative of alternatives) {
      const content = jsonContent(alternative);
      if (content === undefined) continue;
      alternative.properties = { ...(alternative.properties as Schema), data: content };
    }
  });
  return document;
}

interface Stream {
  route: string;
  method: string;
  pattern: RegExp;
  /** The pointer (in the document ajv knows as `openapi`) of each alternative, by event name. */
  events: Map<string, { pointer: string; json: boolean }>;
  /** The alternative of a frame without data (`retry:`), if declared. */
  frame?: string;
}

/** A JSON pointer token inside a URI fragment. */
const token = (part: string) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * The check of stream items against `document` (the API's own: its alternatives are read from
 * it), validating with `ajv`, which holds the closed, decoded copy as `openapi`. Answers a
 * function from a stream's URL and an item to the route, the item's name and what is wrong.
 */
export function createEventCheck(
  ajv: Ajv,
  document: Record<string, unknown>,
): (url: string, item: StreamItem) => { route: string; name: string; found: string[] } {
  const streams: Stream[] = [];
  eachStream(document, (path, method, status, alternatives) => {
    if (!status.startsWith('2')) return;
    const operation = (document.paths as Record<string, Record<string, Schema>>)[path]![method]!;
    const base = ['paths', path, method, 'responses', status, 'content', STREAM, 'itemSchema']
      .map(token)
      .join('/');
    const stream: Stream = {
      route: String(operation.operationId),
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      events: new Map(),
    };
    alternatives.forEach((alternative, i) => {
      const pointer = `openapi#/${base}/oneOf/${i}`;
      const name = ((alternative.properties as Schema | undefined)?.event as Schema | undefined)
        ?.const;
      if (typeof name === 'string') {
        stream.events.set(name, { pointer, json: jsonContent(alternative) !== undefined });
      } else stream.frame ??= pointer;
    });
    streams.push(stream);
  });
  const validators = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: pointer });
      validators.set(pointer, validate);
    }
    return validate;
  };

  return (url, item) => {
    const path = new URL(url, 'http://localhost').pathname;
    const stream = streams.find((s) => s.pattern.test(path));
    // A frame without data only sets a field (`retry:`); an event without a name is a `message`.
    const framed = item.data === undefined;
    const name = framed ? Object.keys(item).join(', ') : String(item.event ?? 'message');
    if (!stream) return { route: path, name, found: ['no event stream here in the document'] };
    const declared = framed ? { pointer: stream.frame, json: false } : stream.events.get(name);
    const at = { route: stream.route, name };
    if (!declared?.pointer) {
      const known = [...stream.events.keys()].join(', ');
      const what = framed ? `a frame of ${name} alone` : `event ${name}`;
      return { ...at, found: [`${what} is not declared (${known})`] };
    }
    let checked: Record<string, unknown> = { ...item };
    if (declared.json) {
      try {
        checked = { ...item, data: JSON.parse(String(item.data)) as unknown };
      } catch {
        return { ...at, found: ['/data is not JSON'] };
      }
    }
    const validate = validator(declared.pointer);
    if (validate(checked)) return { ...at, found: [] };
    return { ...at, found: mismatchesOf(validate.errors) };
  };
}
