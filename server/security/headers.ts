/**
 * Response headers for every answer (README "Security headers"): a strict Content Security
 * Policy without inline script (the web app is files from this origin only), framing
 * refused, no MIME sniffing, no referrer, and HSTS when the answer goes out over TLS (behind a
 * proxy that says so, see TRUST_PROXY). API answers are never cached.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { overTls } from './cookies';

export function securityHeaders(hstsMaxAgeSeconds: number): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'worker-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      // Sent by hand below, only over TLS: on plain HTTP it means nothing (RFC 6797 §7.2).
      strictTransportSecurity: false,
    }),
    (req, res, next) => {
      if (hstsMaxAgeSeconds > 0 && overTls(req)) {
        res.setHeader('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`);
      }
      if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
