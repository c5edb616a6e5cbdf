/**
 * Page cursors refuse NUL only (PostgreSQL cannot compare with it): the open actions' cursors
 * join their parts with U+001F, and a tampered cursor's other characters are the query's to
 * find nothing for.
 */
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../db/cursor';

describe('page cursors', () => {
  it('hand back what they were made of, unit separators included', () => {
    const id = '9\u001fp1\u001f0000\u001fpm-1';
    expect(decodeCursor(encodeCursor([864_001_000, id]))).toEqual([864_001_000, id]);
    expect(decodeCursor(encodeCursor([5, 'tab\there']), undefined)).toEqual([5, 'tab\there']);
    expect(decodeCursor(encodeCursor([5, 'p-1'], 'stage'), 'stage')).toEqual([5, 'p-1']);
  });

  it('refuse one holding NUL, or of another order', () => {
    expect(() => decodeCursor(encodeCursor([5, 'p\u00001']))).toThrow(InvalidCursorError);
    expect(() => decodeCursor(encodeCursor([5, 'p-1'], 'stage'))).toThrow(InvalidCursorError);
  });
});
