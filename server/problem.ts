/**
 * RFC 9457 problem details: every error the API answers is `application/problem+json` with an
 * `errors[]` naming each field at fault. Nothing else (no stack, no driver message) leaks.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import type { FieldProblem, Problem } from './contract';
import { RETRY_AFTER_SECONDS, unavailablePart } from './unavailable';

/** One field at fault, as `errors[]` lists it (the contract's `FieldProblem`). */
export type FieldError = FieldProblem;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An error with the HTTP answer it deserves; thrown by handlers, rendered by `problemHandler`.
 * A 5xx's `cause` (what a part that is down answered) is not shown to the client but logged
 * on the request's line, so an operator sees why it was answered 503.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Zod issues as field errors, each at its path under `where` (body, query, params). */
export function zodErrors(where: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    // A refused code point has a code of its own (model/text.ts); a cap is `too_big`.
    code:
      issue.code === 'custom' && typeof issue.params?.code === 'string'
        ? issue.params.code
        : issue.code,
    message: issue.message,
  }));
}

export function sendProblem(res: Response, problem: HttpProblem, instance?: string): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.status(problem.status).type('application/problem+json').send(problemJson(problem, instance));
}

/** The problem document of RFC 9457, with our `code` and `errors[]`. */
export function problemJson(problem: HttpProblem, instance?: string): string {
  const document: Problem = {
    type: `https://gatehouse.dev/problems/${problem.code}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.message,
    code: problem.code,
    ...(instance !== undefined && { instance }),
    errors: problem.errors,
  };
  return JSON.stringify(document);
}

/**
 * Answers what Node's HTTP parser refuses before any request exists (headers too large, a
 * malformed request line, a body that never arrives) with a problem document too, where Node
 * would write a bare status line. Call once per server, right after `listen`.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A peer that went away, or a socket already answered, has nobody left to tell.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem = clientProblem(error.code);
    const body = problemJson(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${TITLES[problem.status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

function clientProblem(code: string | undefined): HttpProblem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpProblem(431, 'headers_too_large', 'the request headers are too large', [
        { path: ['headers'], code: 'headers_too_large', message: 'too large (16 KB at most)' },
      ]);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpProblem(408, 'request_timeout', 'the request did not arrive in time', [
        { path: ['body'], code: 'request_timeout', message: 'incomplete when time ran out' },
      ]);
    default:
      return new HttpProblem(400, 'malformed_request', 'the request is not valid HTTP', [
        { path: ['request'], code: 'malformed_request', message: code ?? 'not valid HTTP' },
      ]);
  }
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * Express error middleware: known problems as they are, parser errors mapped, a part that is
 * down (Temporal, the database) 503 with Retry-After, the rest 500.
 */
export function problemHandler(log: (error: unknown, req: Request) => void) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpProblem) {
      if (error.status >= 500 && error.cause instanceof Error) res.err = error.cause;
      sendProblem(res, error, req.originalUrl);
      return;
    }
    const parser = error as BodyParserError;
    if (parser.type === 'entity.parse.failed') {
      sendProblem(
        res,
        new HttpProblem(400, 'malformed_json', 'the body is not valid JSON', [
          { path: ['body'], code: 'malformed_json', message: 'not valid JSON' },
        ]),
        req.originalUrl,
      );
      return;
    }
    if (parser.type === 'entity.too.large') {
      sendProblem(
        res,
        new HttpProblem(413, 'body_too_large', 'the body is larger than the limit'),
        req.originalUrl,
      );
      return;
    }
    if (error instanceof URIError) {
      // The router could not decode a path parameter (a stray or broken `%` escape).
      const message = 'a path segment is not valid percent-encoding';
      const field = { path: ['params'], code: 'malformed_path', message };
      sendProblem(res, new HttpProblem(400, 'malformed_path', message, [field]), req.originalUrl);
      return;
    }
    if (parser.status !== undefined && parser.status >= 400 && parser.status < 500) {
      // Other refusals of Express' own layers, which carry their status: body-parser's (charset,
      // encoding, a body that will not inflate) and the like. Their own message is not shown.
      const message = 'the request could not be read';
      sendProblem(res, new HttpProblem(parser.status, 'unreadable', message), req.originalUrl);
      return;
    }
    const down = unavailablePart(error);
    if (down) {
      const message = `${down === 'temporal' ? 'Temporal' : 'the database'} is not answering; retry`;
      if (error instanceof Error) res.err = error;
      const problem = new HttpProblem(503, 'unavailable', message, [], {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      });
      sendProblem(res, problem, req.originalUrl);
      return;
    }
    log(error, req);
    sendProblem(
      res,
      new HttpProblem(500, 'internal', 'something went wrong on our side; it has been logged'),
      req.originalUrl,
    );
  };
}
