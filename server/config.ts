/** API configuration from environment variables; a bad value stops start-up with one line. */
import { z } from 'zod';
import { ConfigError, DatabaseUrl } from '../worker/config';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const ApiEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: DatabaseUrl,
  TEMPORAL_ADDRESS: z.string().trim().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('gatehouse'),
  /** Fixes the bootstrap admin token (automation); at least 24 characters. */
  GATEHOUSE_ADMIN_TOKEN: optional.pipe(z.string().min(24, 'at least 24 characters').optional()),
  OIDC_ISSUER: optional.pipe(z.url().optional()),
  OIDC_AUDIENCE: optional,
  OIDC_JWKS_URL: optional.pipe(z.url().optional()),
  BODY_LIMIT: z
    .string()
    .trim()
    .regex(/^\d+(b|kb|mb)$/i, 'a size like 256kb or 1mb')
    .default('256kb'),
  TEMPORAL_UI_URL: optional.pipe(z.url().optional()),
});
export type ApiConfig = z.infer<typeof ApiEnv>;

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  if (parsed.data.OIDC_ISSUER && !parsed.data.OIDC_AUDIENCE) {
    throw new ConfigError('OIDC_AUDIENCE: required when OIDC_ISSUER is set');
  }
  return parsed.data;
}
