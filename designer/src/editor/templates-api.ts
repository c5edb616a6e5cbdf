/**
 * The template routes of the HTTP API as the designer and the simulation use them. Response
 * types are the record schemas the server answers with, named by the API contract (type-only
 * imports: nothing server-side is bundled), so the designer cannot drift from what it returns.
 */
import { ApiError, type Answer, type Api } from '../api/client';
import type {
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
} from '../../../server/contract';
import type { Template } from '../../../workflows/model';
import { uniqueKey } from '../logic/edit';

export type { TemplateSummary, TemplateVersion, TemplateVersionInfo };

/** What a template key opens as: its draft, else its latest published version. */
export interface Editable {
  body: unknown;
  source: 'draft' | 'version';
  version?: number;
}

/**
 * Every page of a paged list, in order: for pickers over lists that stay small (templates, a
 * template's versions), where a choice needs them all.
 */
async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/** Every template, by key. */
export async function listTemplates(api: Api): Promise<TemplateSummary[]> {
  return allPages((cursor) => api('listTemplates', { query: { cursor, limit: 200 } }));
}

/** A key no existing template uses, for a new one; without the list, the plain default. */
export async function freshKey(api: Api): Promise<string> {
  try {
    return uniqueKey(
      'new-template',
      (await listTemplates(api)).map((t) => t.key),
    );
  } catch {
    // Listing is a nicety here: a clash would surface when saving anyway.
    return 'new-template';
  }
}

/** Every published version of `key`, oldest first. */
export async function listVersions(api: Api, key: string): Promise<TemplateVersionInfo[]> {
  return allPages((cursor) =>
    api('listVersions', { params: { key }, query: { cursor, limit: 200 } }),
  );
}

export async function getVersion(api: Api, key: string, n: number): Promise<TemplateVersion> {
  return api('getVersion', { params: { key, n } });
}

/**
 * The draft of `key`; a template that was only ever published opens at its latest version, and
 * so does every template for a user who may not read drafts (they are the PMO's work).
 */
export async function loadEditable(
  api: Api,
  key: string,
  { draft: withDraft = true }: { draft?: boolean } = {},
): Promise<Editable> {
  let draftForbidden = !withDraft;
  if (withDraft) {
    try {
      const draft = await api('getDraft', { params: { key } });
      return { body: draft.body, source: 'draft' };
    } catch (error) {
      if (!(error instanceof ApiError) || ![403, 404].includes(error.problem.status)) throw error;
      draftForbidden = error.problem.status === 403;
    }
  }
  const versions = await listVersions(api, key);
  const latest = versions[versions.length - 1];
  if (!latest) {
    throw new Error(
      draftForbidden
        ? `template "${key}" has no published version yet`
        : `template "${key}" has neither a draft nor a published version`,
    );
  }
  const version = await getVersion(api, key, latest.version);
  return { body: version.template, source: 'version', version: latest.version };
}

export async function saveDraft(api: Api, template: Template): Promise<Answer<'saveDraft'>> {
  return api('saveDraft', { params: { key: template.key }, body: template });
}

/** Publishes the stored draft; a 422 comes back as an ApiError whose problem lists the errors. */
export async function publishDraft(api: Api, key: string): Promise<Answer<'publish'>> {
  return api('publish', { params: { key } });
}

/** A readable one-line description of any failure from these calls. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) {
    const { status, title, detail } = error.problem;
    return `${status ? `${status} ` : ''}${detail ?? title}`;
  }
  return error instanceof Error ? error.message : String(error);
}
