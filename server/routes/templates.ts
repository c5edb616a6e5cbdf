/** Templates: drafts (may be invalid), immutable published versions, validation. */
import {
  getDraft,
  getVersion,
  listTemplates,
  listVersions,
  publishDraft,
  saveDraft,
} from '../../db';
import { validateNewTemplate } from '../../workflows/model';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

const notFound = (what: string) => new HttpProblem(404, 'not_found', what);

export const templateHandlers: Handlers<
  | 'listTemplates'
  | 'validateTemplate'
  | 'getDraft'
  | 'saveDraft'
  | 'publish'
  | 'listVersions'
  | 'getVersion'
> = {
  async listTemplates({ deps, query, user }) {
    // Drafts are the PMO's work in progress: others see published templates only.
    const pmo = user!.pmo || user!.admin;
    return listTemplates(deps.db, { ...query, ...(!pmo && { publishedOnly: true }) });
  },
  async validateTemplate({ body }) {
    const { valid, errors } = validateNewTemplate(body);
    return { valid, errors };
  },
  async getDraft({ deps, params }) {
    const draft = await getDraft(deps.db, params.key);
    if (!draft) throw notFound(`template "${params.key}" has no draft`);
    return { ...draft, validation: validateNewTemplate(draft.body) };
  },
  async saveDraft({ deps, params, body, user }) {
    await saveDraft(deps.db, params.key, body, user!.id);
    const { valid, errors } = validateNewTemplate(body);
    return { key: params.key, saved: true, valid, errors };
  },
  async publish({ deps, params, user }) {
    const result = await publishDraft(deps.db, params.key, user!.id, validateNewTemplate);
    if (result.ok) return { key: params.key, version: result.version };
    if (result.reason === 'no_draft')
      throw notFound(`template "${params.key}" has no draft to publish`);
    throw new HttpProblem(
      422,
      'invalid_template',
      `the draft of "${params.key}" is not a valid template (${result.errors.length} error(s))`,
      result.errors.map((e) => ({ path: ['draft', ...e.path], code: e.code, message: e.message })),
    );
  },
  async listVersions({ deps, params, query }) {
    return listVersions(deps.db, params.key, query);
  },
  async getVersion({ deps, params }) {
    const version = await getVersion(deps.db, params.key, params.n);
    if (!version) throw notFound(`template "${params.key}" has no version ${params.n}`);
    return version;
  },
};
