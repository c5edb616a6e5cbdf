/**
 * Template change impact (issue 15): a candidate version (a draft, or a published version)
 * analysed against every running project of its template, as a job that advances a bounded
 * batch of projects per request; and one project's dry run against a version. Part of the one
 * route table (server/contract.ts `routes`).
 */
import { z } from 'zod';
import { DraftBody, ImpactSummary, ProjectImpact, Slug } from '../workflows/model';
import { Cursor, Id, Limit, ProjectParams, type RouteSpec } from './contract-fields';

/** The candidate: a draft template (validated here), or a published version of the template. */
export const ImpactBody = z.union([
  z.object({ template: DraftBody }).strict(),
  z.object({ version: z.number().int().min(1) }).strict(),
]);
export type ImpactBody = z.infer<typeof ImpactBody>;

/** An analysis: its progress, counts per class so far and a page of analysed projects. */
export const ImpactView = z.object({
  job: z.object({
    id: z.string(),
    templateKey: z.string(),
    /** The version analysed (a draft's: the version publishing it would give). */
    version: z.number().int(),
    draft: z.boolean(),
    /** `running` until every project is analysed. */
    status: z.enum(['running', 'done']),
    total: z.number().int(),
    done: z.number().int(),
    createdAt: z.string(),
  }),
  summary: ImpactSummary,
  items: z.array(ProjectImpact),
  nextCursor: z.string().optional(),
});
export type ImpactView = z.infer<typeof ImpactView>;

const impactProblems = {
  404: ['not_found'],
  422: ['invalid_template', 'template_key_mismatch', 'unknown_version'],
} as const;

export const impactRoutes = {
  analyseImpact: {
    method: 'post',
    path: '/api/templates/:key/impact',
    summary:
      'Analyse a draft or a version against every running project of the template: 200 when ' +
      'the first batch finished the job, else 202 with the job to poll',
    access: 'pmo',
    params: z.object({ key: Slug }),
    query: z.object({ limit: Limit }),
    body: ImpactBody,
    status: 200,
    response: ImpactView,
    otherResponses: { 202: ImpactView },
    problems: impactProblems,
  },
  getImpact: {
    method: 'get',
    path: '/api/templates/:key/impact/:job',
    summary: 'An impact analysis: advances it by a batch, then its progress and a page',
    access: 'pmo',
    params: z.object({ key: Slug, job: Id }),
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: ImpactView,
    problems: { 404: ['not_found'] },
  },
  dryRunProject: {
    method: 'post',
    path: '/api/projects/:id/impact',
    summary: 'What moving this project to a published version would do (nothing is changed)',
    access: 'pmo',
    params: ProjectParams,
    body: z.object({ version: z.number().int().min(1) }).strict(),
    status: 200,
    response: ProjectImpact,
    problems: { 404: ['not_found'], 422: ['unknown_version'], 503: ['temporal_unavailable'] },
  },
} as const satisfies Record<string, RouteSpec>;
