/**
 * Lets a caller see every answer a route of the contract gives, as sent: the route, status,
 * content type and body; and every event stream's text, as written. Tests install them
 * (`AppDeps.inspectAnswer`, `AppDeps.inspectStream`) to check each answer and each event
 * against the OpenAPI document; production leaves them out.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RouteName } from './contract';

export interface Answer {
  route: RouteName;
  method: string;
  /** The request's path and query. */
  url: string;
  status: number;
  /** The media type, without parameters (`application/json`). */
  contentType: string | undefined;
  /** The body as sent; undefined when none was, or when it was streamed (SSE). */
  body: string | undefined;
}

export type AnswerInspector = (answer: Answer) => void;

/**
 * Sees what one event stream writes (routes/events.ts): called as the stream opens, with the
 * request's path and query, and answers what is handed each piece of text the stream writes,
 * in order (fields, events, comments: the stream's bytes as a client reads them).
 */
export type StreamInspector = (url: string) => (written: string) => void;

/** Names the route a request reached, for `inspectAnswers`. */
export function markRoute(res: Response, route: RouteName): void {
  (res.locals as { route?: RouteName }).route = route;
}

/** Middleware: hands each answer of a route to `inspect` once the response is finished. */
export function inspectAnswers(inspect: AnswerInspector): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let body: string | undefined;
    const send = res.send.bind(res);
    res.send = (value?: unknown) => {
      // res.json and res.send of an object come back here with the serialized string.
      if (typeof value === 'string') body ??= value;
      else if (Buffer.isBuffer(value)) body ??= value.toString('utf8');
      return send(value);
    };
    res.on('finish', () => {
      const route = (res.locals as { route?: RouteName }).route;
      if (route === undefined) return;
      const type = res.getHeader('content-type');
      inspect({
        route,
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        contentType: typeof type === 'string' ? type.split(';')[0]!.trim() : undefined,
        body: req.method === 'HEAD' ? undefined : body,
      });
    });
    next();
  };
}
