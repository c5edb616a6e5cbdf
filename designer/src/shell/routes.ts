/**
 * Hash routes of the app (`#/portfolio`, `#/projects/<id>/pir`, …): parsed to a tagged union
 * and formatted back, so links and navigation never spell paths by hand. Pure.
 */
import {
  NOTIFICATION_KINDS,
  PORTFOLIO_ATTENTION,
  PORTFOLIO_SORTS,
  PROJECT_STATUSES,
  type Notification,
  type PortfolioAttention,
  type PortfolioSort,
  type ProjectStatus,
} from '../../../workflows/model';

type NotificationKind = Notification['kind'];

export const PROJECT_TABS = ['overview', 'activity', 'feedback', 'benefits'] as const;
export type ProjectTab = (typeof PROJECT_TABS)[number];
export const INBOX_TABS = ['actions', 'notifications', 'away'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export type Route =
  | ({ name: 'portfolio' } & PortfolioView)
  /** `node`: the step to show (a notification's link opens its reader's action there). */
  | { name: 'project'; id: string; tab: ProjectTab; node?: string }
  | { name: 'inbox'; tab: InboxTab; filter?: NotificationFilter }
  | { name: 'templates' }
  /** The template designer; no key: a new template. */
  | { name: 'designer'; key?: string }
  | { name: 'simulation'; key: string; version?: number }
  | { name: 'not-found'; path: string };

/** The portfolio's filters and order, kept in the hash so a view can be reloaded and linked. */
export interface PortfolioView {
  status?: ProjectStatus;
  template?: string;
  /** Text the listed projects' names contain. */
  q?: string;
  /** A node of `template`: its open projects (without a template it is dropped). */
  stage?: string;
  attention?: PortfolioAttention;
  /** `stage_age`: longest at their stage first; absent: newest first. */
  sort?: PortfolioSort;
}

/** Filters of the notifications list, kept in the hash so a filtered list can be linked. */
export interface NotificationFilter {
  project?: string;
  kind?: NotificationKind;
  unread?: boolean;
}

const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (list as readonly string[]).includes(value);

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryPart);
  let segments: string[];
  try {
    segments = pathPart
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return { name: 'not-found', path: raw };
  }
  const [first, second, third, ...rest] = segments;
  if (rest.length > 0) return { name: 'not-found', path: raw };
  if (first === undefined || (first === 'portfolio' && second === undefined)) {
    const status = query.get('status') ?? undefined;
    const template = query.get('template') ?? undefined;
    const q = query.get('q')?.trim();
    const stage = query.get('stage') ?? undefined;
    const attention = query.get('attention') ?? undefined;
    const sort = query.get('sort') ?? undefined;
    return {
      name: 'portfolio',
      ...(isOneOf(PROJECT_STATUSES, status) && { status }),
      ...(template && { template }),
      ...(q && { q }),
      ...(template && stage && { stage }),
      ...(isOneOf(PORTFOLIO_ATTENTION, attention) && { attention }),
      ...(isOneOf(PORTFOLIO_SORTS, sort) && sort !== 'newest' && { sort }),
    };
  }
  if (first === 'projects' && second !== undefined) {
    const tab = third ?? 'overview';
    const node = query.get('node') ?? undefined;
    return isOneOf(PROJECT_TABS, tab)
      ? { name: 'project', id: second, tab, ...(node && { node }) }
      : { name: 'not-found', path: raw };
  }
  if (first === 'inbox' && third === undefined) {
    const tab = second ?? 'actions';
    if (!isOneOf(INBOX_TABS, tab)) return { name: 'not-found', path: raw };
    const project = query.get('project') ?? undefined;
    const kind = query.get('kind') ?? undefined;
    const filter: NotificationFilter = {
      ...(project && { project }),
      ...(isOneOf(NOTIFICATION_KINDS, kind) && { kind }),
      ...(query.get('unread') === 'true' && { unread: true }),
    };
    return { name: 'inbox', tab, ...(Object.keys(filter).length > 0 && { filter }) };
  }
  if (first === 'templates') {
    if (second === undefined) return { name: 'templates' };
    if (second === 'new' && third === undefined) return { name: 'designer' };
    if (third === 'edit') return { name: 'designer', key: second };
    if (third === 'simulate') {
      const version = Number(query.get('version'));
      return {
        name: 'simulation',
        key: second,
        ...(Number.isInteger(version) && version > 0 && { version }),
      };
    }
  }
  return { name: 'not-found', path: raw };
}

/** The hash (with its leading `#`) of a route. */
export function hrefOf(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'portfolio': {
      const query = new URLSearchParams();
      if (route.status) query.set('status', route.status);
      if (route.template) query.set('template', route.template);
      if (route.q) query.set('q', route.q);
      if (route.template && route.stage) query.set('stage', route.stage);
      if (route.attention) query.set('attention', route.attention);
      if (route.sort && route.sort !== 'newest') query.set('sort', route.sort);
      return `#/portfolio${query.size ? `?${query}` : ''}`;
    }
    case 'project': {
      const path = `#/projects/${e(route.id)}${route.tab === 'overview' ? '' : `/${route.tab}`}`;
      return route.node === undefined ? path : `${path}?node=${e(route.node)}`;
    }
    case 'inbox': {
      const query = new URLSearchParams();
      if (route.filter?.project) query.set('project', route.filter.project);
      if (route.filter?.kind) query.set('kind', route.filter.kind);
      if (route.filter?.unread) query.set('unread', 'true');
      const path = route.tab === 'actions' ? '#/inbox' : `#/inbox/${route.tab}`;
      return `${path}${query.size ? `?${query}` : ''}`;
    }
    case 'templates':
      return '#/templates';
    case 'designer':
      return route.key === undefined ? '#/templates/new' : `#/templates/${e(route.key)}/edit`;
    case 'simulation':
      return `#/templates/${e(route.key)}/simulate${route.version ? `?version=${route.version}` : ''}`;
    case 'not-found':
      return `#/${route.path}`;
  }
}

/** The top-level section a route belongs to, for the navigation's current marker. */
export function sectionOf(route: Route): 'portfolio' | 'inbox' | 'templates' | undefined {
  switch (route.name) {
    case 'portfolio':
    case 'project':
      return 'portfolio';
    case 'inbox':
      return 'inbox';
    case 'templates':
    case 'designer':
    case 'simulation':
      return 'templates';
    default:
      return undefined;
  }
}
