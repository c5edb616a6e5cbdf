/**
 * Serves the built designer (`designer/dist`) at `/`: its files as they are, and index.html for
 * any other GET so client-side routes survive a reload. API and probe paths are never
 * shadowed: an unknown `/api/…` stays a problem+json 404. Neither is a file missing from the
 * build's `assets/` (a page opened before a deployment asks for code that is gone): the page
 * answered instead would fail as a script, and a cache could keep it under the file's name.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

const NOT_THE_DESIGNER = /^\/(api|healthz|readyz|metrics|assets)(\/|$)/;

export function designerStatic(dir: string): express.RequestHandler[] {
  const root = path.resolve(dir);
  const fallback = (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_DESIGNER.test(req.path)) {
      return next();
    }
    res.sendFile('index.html', { root }, (error?: Error & { status?: number }) => {
      // A dist without index.html is an incomplete build: answer the plain 404.
      if (error) next(error.status === 404 ? undefined : error);
    });
  };
  return [express.static(root, { index: 'index.html' }), fallback];
}
