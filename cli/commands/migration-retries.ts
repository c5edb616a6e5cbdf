/**
 * What `gatehouse template migrate` says of the projects being retried while its job runs:
 * one line per project each time its attempt or last error changes, never the same line on
 * every poll.
 */
import type { MigrationItem } from '../../db';

export class RetryLines {
  /** The line last printed per project. */
  private readonly said = new Map<string, string>();

  /** The lines of `items` (pending projects) that are new since the last call. */
  changed(items: readonly MigrationItem[]): string[] {
    const lines: string[] = [];
    for (const item of items) {
      if (item.status !== 'pending' || item.attempts === undefined) continue;
      // An error's message may span lines: the progress keeps one line per project.
      const error = (item.lastError ?? 'none yet').replace(/\s+/g, ' ');
      const line = `${item.projectId}  being retried  attempt ${item.attempts}  last error: ${error}`;
      if (this.said.get(item.projectId) === line) continue;
      this.said.set(item.projectId, line);
      lines.push(line);
    }
    return lines;
  }
}
