/**
 * Opaque keyset cursors shared by the paged lists: the (epoch ms, id) of the last row shown,
 * base64url-encoded so clients treat it as a token rather than something to build.
 */
/** A page cursor that is not one a list handed out. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * Whether a cursor's part holds NUL, which no list hands out and PostgreSQL cannot even compare
 * with: a tampered cursor would otherwise fail the query instead of being answered as the
 * client's mistake. Other control characters stay: cursors join their parts with U+001F
 * (db/open-actions.ts), and names stored before texts were checked may hold some.
 */
export function holdsNul(text: string): boolean {
  return text.includes('\0');
}

/** The text a cursor decodes to, refused when it holds NUL ({@link holdsNul}). */
export function cursorText(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (holdsNul(text)) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return text;
}

/** A position in a newest-first order: the time and id of the last row shown. */
export type Cursor = [at: number, id: string];

/**
 * `order` names a list's other order (a word, e.g. `stage`): its cursors are refused by the
 * list in another order, and the other way round.
 */
export function encodeCursor([at, id]: Cursor, order?: string): string {
  return Buffer.from(`${order === undefined ? '' : `${order}:`}${at}:${id}`).toString('base64url');
}

/** Reads a cursor from {@link encodeCursor}; anything else throws {@link InvalidCursorError}. */
export function decodeCursor(cursor: string, order?: string): Cursor {
  const text = cursorText(cursor);
  const prefix = order === undefined ? '' : `${order}:`;
  const match = text.startsWith(prefix)
    ? /^(\d{1,16}):(.+)$/s.exec(text.slice(prefix.length))
    : null;
  if (match === null) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return [Number(match[1]), match[2] ?? ''];
}

/** A requested page size clamped to 1..max (`fallback` when none was asked for). */
export function pageSize(limit: number | undefined, fallback: number, max: number): number {
  return Math.min(Math.max(Math.trunc(limit ?? fallback), 1), max);
}

/** A position in a list ordered by a text key (templates by key): the last key shown. */
export function encodeKeyCursor(key: string): string {
  return Buffer.from(`k:${key}`).toString('base64url');
}

/** Reads a cursor from {@link encodeKeyCursor}; anything else throws {@link InvalidCursorError}. */
export function decodeKeyCursor(cursor: string): string {
  const text = cursorText(cursor);
  if (!text.startsWith('k:') || text.length < 3) {
    throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  }
  return text.slice(2);
}
