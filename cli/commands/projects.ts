/** `gatehouse projects list`: the project read model, as a table or as JSON. */
import { listProjects, type ProjectSummary } from '../../db';
import type { ProjectStatus } from '../../workflows/model';
import { withDatabase } from '../database';

/** The largest page `listProjects` serves; the command reads every page. */
const PAGE_SIZE = 200;

export interface ListOptions {
  status?: ProjectStatus;
  template?: string;
  json?: boolean;
}

export async function list(options: ListOptions): Promise<void> {
  const projects = await withDatabase(async (db) => {
    const items: ProjectSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProjects(db, {
        ...(options.status && { status: options.status }),
        ...(options.template && { template: options.template }),
        ...(cursor && { cursor }),
        limit: PAGE_SIZE,
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return items;
  });
  if (options.json) {
    console.log(JSON.stringify(projects, null, 2));
  } else if (projects.length === 0) {
    console.log('no projects');
  } else {
    console.log(projectTable(projects));
  }
}

const HEADER = ['ID', 'NAME', 'TEMPLATE', 'STATUS', 'CURRENT', 'UPDATED'];

/** Newest first, as listed; times in UTC to the second. */
export function projectTable(projects: readonly ProjectSummary[]): string {
  const rows = projects.map((p) => [
    p.id,
    p.name,
    `${p.template.key}@${p.template.version}`,
    p.status,
    p.current.length > 0 ? p.current.join(',') : '-',
    new Date(p.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ]);
  return table([HEADER, ...rows]);
}

/** Columns padded to their widest cell, two spaces apart; no trailing blanks. */
function table(rows: readonly string[][]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
