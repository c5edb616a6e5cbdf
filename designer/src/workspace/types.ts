/**
 * What the API answers, as the workspace reads it: every shape comes from the model and the
 * read-model records the API contract names (type-only imports: nothing here is bundled).
 */
import type { ProjectState, Template } from '../../../workflows/model';
import type { plannedVsActual } from '../../../workflows/lifecycle/monitor';
import type { PendingAction } from '../../../workflows/lifecycle/pending';
import type {
  DirectoryEntry,
  InboxItem,
  InboxSummary,
  Page,
  ProjectSummary,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
} from '../../../server/contract';
import type { AuditEntry } from '../../../workflows/model';

export type {
  AuditEntry,
  DirectoryEntry,
  InboxItem,
  InboxSummary,
  Page,
  PendingAction,
  ProjectState,
  ProjectSummary,
  Template,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
};

/** One metric of the post-implementation review: planned (baseline, target) vs actual. */
export type PirRow = ReturnType<typeof plannedVsActual>[number];

/** `GET /api/projects/:id`: the state plus planned-vs-actual and a Temporal UI link. */
export type ProjectDetail = ProjectState & {
  pir: PirRow[];
  links?: { temporalUi?: string };
};
