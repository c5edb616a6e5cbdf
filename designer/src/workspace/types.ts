/**
 * What the API answers, as the workspace reads it: every shape comes from the model and the
 * read-model records the API contract names (type-only imports: nothing here is bundled).
 */
import type { ProjectState, Template } from '../../../workflows/model';
import type { PendingAction } from '../../../workflows/lifecycle/pending';
import type {
  DirectoryEntry,
  InboxItem,
  InboxSummary,
  Page,
  PirRow,
  ProjectSummary,
  ProjectView,
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
  PirRow,
  ProjectState,
  ProjectSummary,
  Template,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
};

/** `GET /api/projects/:id`: the state plus planned-vs-actual and a Temporal UI link. */
export type ProjectDetail = ProjectView;
