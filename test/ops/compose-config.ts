/**
 * docker-compose.yml as Compose itself resolves it: `docker-compose config` (interpolation,
 * anchors and defaults applied), parsed. No Docker engine is needed for `config`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const COMPOSE_FILE = path.join(PROJECT_ROOT, 'docker-compose.yml');
/** The overlay that puts the bundled Temporal server on mTLS (the shape the proof runs). */
export const COMPOSE_TLS_FILE = path.join(PROJECT_ROOT, 'docker-compose.tls.yml');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  container_name?: string;
  ports?: unknown[];
  environment?: Record<string, string | number | null>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  volumes?: unknown[];
  profiles?: string[];
  restart?: string;
  entrypoint?: string[] | string;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export interface ComposeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

const BINARY = 'docker-compose';

/** The passwords compose refuses to start without (the file holds no default for any). */
export const COMPOSE_SECRETS = {
  POSTGRES_PASSWORD: 'compose-test-superuser',
  GATEHOUSE_DB_PASSWORD: 'compose-test-app',
  TEMPORAL_DB_PASSWORD: 'compose-test-temporal',
};

/**
 * Runs `docker-compose -f docker-compose.yml [-f overlay…] <args>` with exactly `env` (no
 * inherited values).
 */
export function runCompose(
  args: string[],
  env: Record<string, string>,
  overlays: string[] = [],
): ComposeRun {
  const files = [COMPOSE_FILE, ...overlays].flatMap((file) => ['-f', file]);
  const result = spawnSync(BINARY, [...files, ...args], {
    cwd: PROJECT_ROOT,
    // PATH to find the binary (and, for v1, its Python); nothing else may leak into the
    // interpolation, so the rendered file shows the file's own defaults.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `${BINARY} is not installed; the compose file cannot be checked without it. ` +
            'Install it (Debian: apt-get install -y docker-compose; .ci/run does this in CI).'
        : `${BINARY}: ${result.error.message}`,
    );
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The resolved file as an object. Compose v2 prints JSON itself; v1 (Debian's 1.29) only
 * prints YAML, and runs on Python with PyYAML, which turns it into JSON here.
 */
export function composeConfig(env: Record<string, string>, overlays: string[] = []): ComposeConfig {
  const version = runCompose(['version', '--short'], env).stdout.trim();
  const v1 = /^1\./.test(version);
  const rendered = runCompose(v1 ? ['config'] : ['config', '--format', 'json'], env, overlays);
  if (rendered.status !== 0) {
    throw new Error(`docker-compose config failed (exit ${rendered.status}):\n${rendered.stderr}`);
  }
  if (!v1) return JSON.parse(rendered.stdout) as ComposeConfig;
  const converted = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: rendered.stdout, encoding: 'utf8' },
  );
  if (converted.status !== 0) {
    throw new Error(
      `could not parse docker-compose ${version}'s YAML with python3 and PyYAML ` +
        `(docker-compose v1 depends on both):\n${converted.error?.message ?? converted.stderr}`,
    );
  }
  return JSON.parse(converted.stdout) as ComposeConfig;
}
