/**
 * Where `gatehouse api` puts the first admin token: never in a log line (logs are shipped and
 * kept), but once into a file only the process's user can read, created exclusively. The
 * operator reads it, stores it safely and deletes the file.
 */
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

export async function writeAdminTokenFile(file: string, token: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  // `wx`: never overwrite a file someone else put there, nor an earlier token.
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`);
  } finally {
    await handle.close();
  }
}
