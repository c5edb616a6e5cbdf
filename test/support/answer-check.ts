/**
 * Checks every answer the API gives in a test against the OpenAPI document the API publishes
 * (server/openapi.ts): its status is declared for the route, its content type too, and its
 * body validates (ajv, JSON Schema 2020-12) against the declared schema — a problem's code
 * among the codes its status lists, and no property in it the schema does not declare (a
 * closed reading of the document, test/support/strict-answers.ts). Every app a test builds
 * gets it (`withAnswerCheck`: the test stack, and the tests that build an app of their own); a
 * mismatch fails the call that saw it (the stack's `call`) or else the test
 * (test/support/answers-after-each.ts). A mismatch names the route, the status and the JSON
 * path of what is wrong.
 *
 * Every event an app of `withAnswerCheck` writes to a stream (`inspectStream`, whoever reads
 * it: a browser test's designer too), and every event a test reads from a stream
 * (test/server/sse-client.ts), is checked the same way against the events the document
 * declares for the stream (`inspectEvent`, test/support/event-check.ts); a mismatch names the
 * route, the event and the JSON path, and one seen twice (written, then read) is reported once.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Answer, AnswerInspector, StreamInspector } from '../../server/answers';
import { openApiDocument } from '../../server/openapi';
import { createEventCheck, decodedEvents, streamItems, type StreamItem } from './event-check';
import { closedDocument, mismatchesOf } from './strict-answers';

interface Operation {
  path: string;
  method: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** A JSON pointer token inside a URI fragment. */
const token = (part: string) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'));

export interface AnswerChecker {
  inspect: (answer: Answer) => void;
  /** Checks one item read from the event stream at `url` (a `GET`; its path is enough). */
  inspectEvent: (url: string, item: StreamItem) => void;
  /** Checks each item of what a stream of the app writes (`AppDeps.inspectStream`). */
  inspectStream: StreamInspector;
  /** Mismatches seen since the last call, emptied. */
  take: () => string[];
}

export function createAnswerChecker(
  document: Record<string, unknown> = openApiDocument(),
): AnswerChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(decodedEvents(closedDocument(document)), 'openapi');
  const checkEvent = createEventCheck(ajv, document);
  const operations = new Map<string, Operation>();
  const paths = document.paths as Record<string, Record<string, Operation>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const id = (operation as unknown as { operationId: string }).operationId;
      operations.set(id, { ...operation, path, method });
    }
  }
  const validators = new Map<string, ValidateFunction>();
  const validator = (op: Operation, status: string, type: string) => {
    const pointer = ['paths', op.path, op.method, 'responses', status, 'content', type, 'schema']
      .map(token)
      .join('/');
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `openapi#/${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };

  function mismatches(answer: Answer): string[] {
    const op = operations.get(answer.route);
    if (!op) return [`route ${answer.route} is not in the document`];
    const status = String(answer.status);
    const declared = op.responses[status];
    if (!declared) {
      return [`status ${status} is not declared (${Object.keys(op.responses).join(', ')})`];
    }
    if (!declared.content) {
      // No body declared: a redirect may carry Express' short prose, nothing else may carry one.
      return answer.body && !status.startsWith('3') ? ['a body where none is declared'] : [];
    }
    const type = answer.contentType ?? '(none)';
    const media = declared.content[type];
    if (!media) {
      return [`content type ${type} is not declared (${Object.keys(declared.content).join(', ')})`];
    }
    // JSON bodies are validated; a text download (CSV) only needs its declared type.
    if (!type.endsWith('json') || !media.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body ?? '');
    } catch {
      return ['the body is not JSON'];
    }
    const validate = validator(op, status, type);
    if (validate(body)) return [];
    return mismatchesOf(validate.errors);
  }

  let seen: string[] = [];
  // An event the server wrote wrong and a test read is seen twice, and told once.
  const report = (line: string) => {
    if (!seen.includes(line)) seen.push(line);
  };
  const inspectEvent = (url: string, item: StreamItem) => {
    const { route, name, found } = checkEvent(url, item);
    if (found.length === 0) return;
    const { pathname, search } = new URL(url, 'http://localhost');
    report(`${route}: GET ${pathname}${search} event ${name}: ${found.join('; ')}`);
  };
  return {
    inspect(answer) {
      const found = mismatches(answer);
      if (found.length > 0) {
        const what = `${answer.route}: ${answer.method} ${answer.url} → ${answer.status}`;
        report(`${what}: ${found.join('; ')}`);
      }
    },
    inspectEvent,
    inspectStream: (url) => streamItems((item) => inspectEvent(url, item)),
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

let shared: AnswerChecker | undefined;

/** The checker of this test file's apps (`withAnswerCheck`), asserted after each test. */
export function sharedAnswerChecker(): AnswerChecker {
  shared ??= createAnswerChecker();
  return shared;
}

/**
 * App dependencies with every answer and every event its streams write checked (a test may
 * still pass its own inspectors).
 */
export function withAnswerCheck<D extends object>(
  deps: D,
): D & { inspectAnswer: AnswerInspector; inspectStream: StreamInspector } {
  const checker = sharedAnswerChecker();
  return { inspectAnswer: checker.inspect, inspectStream: checker.inspectStream, ...deps };
}

/** Throws what the shared checker saw, if it was used at all. */
export function assertSharedAnswersMatch(): void {
  if (shared) assertAnswersMatch(shared);
}

/** Throws what the checker saw, if anything. */
export function assertAnswersMatch(checker: AnswerChecker): void {
  const found = checker.take();
  if (found.length > 0) {
    throw new Error(`answers that do not match the OpenAPI document:\n${found.join('\n')}`);
  }
}
