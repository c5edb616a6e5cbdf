/**
 * Worker configuration from environment variables, validated once at start-up. A wrong or
 * missing value stops the process with one line naming the variable and what it expects.
 */
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** `postgres://…` or an SQLite file (`sqlite:./data/gatehouse.db`, a plain path). */
export const DatabaseUrl = z
  .string()
  .trim()
  .min(1)
  .default(DEFAULT_DATABASE_URL)
  .refine((url) => {
    try {
      parseDatabaseUrl(url);
      return true;
    } catch {
      // parseDatabaseUrl explains by throwing; here the answer is just "not a database URL".
      return false;
    }
  }, 'a postgres:// URL or an SQLite file such as sqlite:./data/gatehouse.db');

export const WorkerEnv = z.object({
  TEMPORAL_ADDRESS: z.string().trim().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('gatehouse'),
  DATABASE_URL: DatabaseUrl,
  /** Webhook for notifications (Slack-compatible `text`); unset: no webhook. */
  WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** SMTP server for notification e-mail, e.g. smtp://mail:587; unset: no e-mail. */
  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  MAIL_FROM: z.string().trim().min(3).default('Gatehouse <gatehouse@localhost>'),
});
export type WorkerConfig = z.infer<typeof WorkerEnv>;

/** Thrown for a bad environment; its message is the one line to print. */
export class ConfigError extends Error {}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
}
