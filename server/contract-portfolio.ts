/**
 * The portfolio's everyday questions: the filters of its list and CSV export, and
 * how many open projects are in each node of each template. Part of the one route table
 * (server/contract.ts `routes`).
 */
import { z } from 'zod';
import {
  LIMITS,
  NodeId,
  PortfolioAttention,
  PortfolioSort,
  ProjectStatus,
  Slug,
  Text,
} from '../workflows/model';
import type { RouteSpec } from './contract-fields';

/**
 * The portfolio's filters (`GET /api/projects`, its CSV export); they combine with AND. A
 * `stage` is a node of `template`, which it needs (422 `stage_needs_template` without it).
 */
export const PortfolioFilters = z.object({
  status: ProjectStatus.optional(),
  template: Slug.optional(),
  /** Text the project's name contains, whatever the letter case (accents as typed). */
  q: Text(LIMITS.projectName, { trim: true }).optional(),
  /** A node id of `template`: the open (active or held) projects in it. */
  stage: NodeId.optional(),
  /**
   * `hypercare`: hypercare ends within 7 days or awaits its exit; `over_budget`: the actual
   * cost recorded is over the budget.
   */
  attention: PortfolioAttention.optional(),
  /**
   * `newest` (the default) or `stage_age`: the open projects, longest in their current node
   * first (ended projects are at no stage). A page's cursor is of its order only.
   */
  sort: PortfolioSort.optional(),
});
export type PortfolioFilters = z.infer<typeof PortfolioFilters>;

/** The filters' own problems, besides the query's shape (400 `invalid_request`). */
export const PORTFOLIO_FILTER_PROBLEMS = ['stage_needs_template'] as const;

/** How many open projects are in a node, and what it is. */
const StageCounts = z.object({
  /** The node's type; absent if no version it is named from has such a node. */
  kind: z.string().optional(),
  /** Active projects in the node. */
  active: z.number().int(),
  /** Projects on hold in the node (at a held gate). */
  onHold: z.number().int(),
});

/**
 * Open projects per node of each template with any (`GET /api/portfolio/stages`): one entry
 * per node id, which the list's `stage` filter takes (it lists the node's projects of every
 * version), with its projects per pinned version, each named as that version names it.
 */
export const PortfolioStages = z.object({
  templates: z.array(
    z.object({
      key: z.string(),
      /** The template's name in its latest version. */
      name: z.string(),
      /** Nodes with open projects, in the order of the latest version's nodes. */
      stages: z.array(
        StageCounts.extend({
          id: z.string(),
          /**
           * As the latest version names it; if that version has no such node, as the newest
           * version pinned by a project in it does (the id if none has it).
           */
          name: z.string(),
          /**
           * The node's open projects per version they pin, oldest version first: the names a
           * project shows (its own version's) when a newer version renamed the node.
           */
          versions: z.array(
            StageCounts.extend({
              version: z.number().int(),
              /** As this version names the node (the id if it has no such node). */
              name: z.string(),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type PortfolioStages = z.infer<typeof PortfolioStages>;

export const portfolioRoutes = {
  portfolioStages: {
    method: 'get',
    path: '/api/portfolio/stages',
    summary:
      'How many open projects are in each node of each template (of one template with ' +
      '`template`), and per template version they pin, each named as it names the node: ' +
      'one indexed count, for the portfolio’s stage filter',
    access: 'pmo',
    query: z.object({ template: Slug.optional() }),
    status: 200,
    response: PortfolioStages,
  },
} as const satisfies Record<string, RouteSpec>;
