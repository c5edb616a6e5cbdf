/**
 * What the `scale` bench (./scale.ts) asks of each portfolio: every list, filter, search and
 * inbox a PMO or participant reads, each as one request kind.
 */
import { BUSY, BUSY_PROJECTS, FEW, FEW_PROJECTS, PMO, TEMPLATE } from './scale-seed';

/** Asks the portfolio's API for `path` as `user`; resolves with the parsed body. */
export type Get = (path: string, user: string) => Promise<unknown>;

/** One request kind: who asks what (a path, or one built from the first page of another). */
export interface Probe {
  name: string;
  user: string;
  path: string | ((get: Get) => Promise<string>);
}

const PAGE = 50;
export const probes = (auditProject: string): Probe[] => [
  { name: 'projects (PMO)', user: PMO, path: `/api/projects?limit=${PAGE}` },
  { name: 'projects page 2 (PMO)', user: PMO, path: (get) => secondPage(get, PMO) },
  { name: 'projects ?status=active', user: PMO, path: `/api/projects?status=active` },
  { name: 'projects ?template', user: PMO, path: `/api/projects?template=${TEMPLATE.key}` },
  {
    name: 'projects ?status&template',
    user: PMO,
    path: `/api/projects?status=active&template=${TEMPLATE.key}`,
  },
  {
    name: 'projects ?template&stage',
    user: PMO,
    path: `/api/projects?template=${TEMPLATE.key}&stage=pilot`,
  },
  { name: 'projects ?attention=hypercare', user: PMO, path: `/api/projects?attention=hypercare` },
  {
    name: 'projects ?attention=over_budget',
    user: PMO,
    path: `/api/projects?attention=over_budget`,
  },
  { name: 'projects ?sort=stage_age', user: PMO, path: `/api/projects?sort=stage_age` },
  {
    name: 'projects ?sort=stage_age&template',
    user: PMO,
    path: `/api/projects?sort=stage_age&template=${TEMPLATE.key}`,
  },
  {
    name: 'projects ?sort=stage_age&status',
    user: PMO,
    path: `/api/projects?sort=stage_age&status=on_hold`,
  },
  // A word every project's name holds: the search fills its page from the newest first.
  { name: 'projects ?q (common word)', user: PMO, path: `/api/projects?q=project` },
  // What a PMO types into the search: one project's name (the newest's, which no other name
  // holds in either size), and a text no name holds (a typo).
  { name: 'projects ?q (one name)', user: PMO, path: (get) => newestName(get) },
  { name: 'projects ?q (no name)', user: PMO, path: `/api/projects?q=nothing-holds-this` },
  { name: 'portfolio stages', user: PMO, path: `/api/portfolio/stages` },
  { name: 'people directory', user: PMO, path: `/api/users?limit=${PAGE}` },
  { name: `projects (in ${BUSY_PROJECTS})`, user: BUSY, path: `/api/projects` },
  {
    name: `projects ?status (in ${BUSY_PROJECTS})`,
    user: BUSY,
    path: `/api/projects?status=active`,
  },
  { name: `projects (in ${FEW_PROJECTS})`, user: FEW, path: `/api/projects` },
  { name: `inbox (in ${FEW_PROJECTS})`, user: FEW, path: `/api/inbox` },
  { name: `inbox (in ${BUSY_PROJECTS})`, user: BUSY, path: `/api/inbox` },
  { name: `notifications (in ${BUSY_PROJECTS})`, user: BUSY, path: `/api/inbox/notifications` },
  {
    name: `notifications unread (in ${BUSY_PROJECTS})`,
    user: BUSY,
    path: `/api/inbox/notifications?unread=true`,
  },
  { name: 'audit page', user: PMO, path: `/api/projects/${auditProject}/audit?limit=${PAGE}` },
  { name: 'templates', user: PMO, path: `/api/templates` },
];

/** The probes whose name holds `only` (`--probes`); all when it is undefined. */
export const chosen = (all: Probe[], only: string | undefined) =>
  only === undefined ? all : all.filter((probe) => probe.name.includes(only));

async function newestName(get: Get) {
  const first = (await get(`/api/projects?limit=1`, PMO)) as { items: { name: string }[] };
  return `/api/projects?q=${encodeURIComponent(first.items[0]!.name)}`;
}

async function secondPage(get: Get, user: string) {
  const first = (await get(`/api/projects?limit=${PAGE}`, user)) as { nextCursor?: string };
  if (first.nextCursor === undefined) throw new Error('the portfolio has one page only');
  return `/api/projects?limit=${PAGE}&cursor=${first.nextCursor}`;
}
