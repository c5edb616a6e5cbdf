/**
 * The portfolio as CSV for a steering report: the list's filters, newest first, read a page
 * at a time along the list's index and written as it is read, so an export of any size holds
 * one page in memory and a client that goes away stops the reading.
 */
import { once } from 'node:events';
import type { Response } from 'express';
import { getVersion, listProjects, type ProjectSummary } from '../../db';
import type { Template } from '../../workflows/model';
import type { CtxFor, Handlers } from '../app';
import { checkPortfolioFilters } from './portfolio';

/** Rows read per query: the list's largest page. */
export const EXPORT_PAGE = 200;

const HEADER = [
  'id',
  'name',
  'template',
  'version',
  'status',
  'current',
  'current_ids',
  'started_at',
  'updated_at',
  'ended_at',
  // Where it stands (the list's `progress`): what the attention filters ask about.
  'in_node_since',
  'hypercare',
  'hypercare_ends',
  'budget',
  'spent',
  'currency',
  'cost',
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is led by a `'`
 * (OWASP's advice on CSV injection): project names are typed by people.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const iso = (at: number | undefined) => (at === undefined ? '' : new Date(at).toISOString());

/** The progress columns of a row; empty where the summary has nothing to say. */
function standing({ progress, status }: ProjectSummary): string[] {
  // An ended project is at no stage (as the list's `stage_age` order has it).
  const open = status === 'active' || status === 'on_hold' ? progress?.current[0] : undefined;
  const hc = progress?.hypercare;
  const cost = progress?.cost;
  return [
    iso(open?.since),
    hc?.phase ?? '',
    iso(hc?.expiresAt),
    cost ? String(cost.budget) : '',
    cost ? String(cost.spent) : '',
    cost?.currency ?? '',
    cost?.cost ?? '',
  ];
}

/** Writes `text`, waiting while the socket's buffer is full; false once the client left. */
async function write(res: Response, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

async function exportPortfolio({ deps, query, res }: CtxFor<'exportPortfolio'>): Promise<void> {
  // Node names of each pinned version, read once per export.
  const templates = new Map<string, Promise<Template | undefined>>();
  const nodeNames = async (p: ProjectSummary) => {
    const key = `${p.template.key}@${p.template.version}`;
    if (!templates.has(key)) {
      templates.set(
        key,
        getVersion(deps.db, p.template.key, p.template.version).then((v) => v?.template),
      );
    }
    const template = await templates.get(key);
    return p.current.map((id) => template?.nodes.find((n) => n.id === id)?.name ?? id);
  };
  checkPortfolioFilters(query);
  // The first page before any byte: a failure there is still a problem document.
  let page = await listProjects(deps.db, { ...query, limit: EXPORT_PAGE });
  const day = new Date().toISOString().slice(0, 10);
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="portfolio-${day}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  // A BOM, so that spreadsheets read the names as UTF-8.
  let chunk = `\uFEFF${HEADER.join(',')}\r\n`;
  for (;;) {
    for (const p of page.items) {
      const fields = [
        p.id,
        p.name,
        p.template.key,
        String(p.template.version),
        p.status,
        (await nodeNames(p)).join('; '),
        p.current.join('; '),
        iso(p.startedAt),
        iso(p.updatedAt),
        iso(p.endedAt),
        ...standing(p),
      ];
      chunk += `${fields.map(csvField).join(',')}\r\n`;
    }
    if (!(await write(res, chunk))) return;
    chunk = '';
    if (page.nextCursor === undefined) break;
    page = await listProjects(deps.db, { ...query, cursor: page.nextCursor, limit: EXPORT_PAGE });
  }
  res.end();
}

export const portfolioExportHandlers: Handlers<'exportPortfolio'> = { exportPortfolio };
