/**
 * What the API answers, as the workspace reads it: every shape comes from the model and the
 * read-model records the API contract names (type-only imports: nothing here is bundled). A
 * project's state is the contract's view of it (`ProjectStateView`: its texts put back, none
 * of the workflow's bookkeeping), never the model's `ProjectState`.
 */
import type { Template } from '../../../workflows/model';
import type { PendingAction } from '../../../workflows/lifecycle/pending';
import type {
  DirectoryEntry,
  InboxCounts,
  InboxItem,
  InboxSummary,
  Page,
  PirRow,
  PortfolioStages,
  ProjectStateView,
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
  InboxCounts,
  InboxItem,
  InboxSummary,
  Page,
  PendingAction,
  PirRow,
  PortfolioStages,
  ProjectStateView,
  ProjectSummary,
  Template,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
};

/** A stage chip's node: its open projects, in total and per version they pin. */
export type PortfolioStage = PortfolioStages['templates'][number]['stages'][number];

/** `GET /api/projects/:id`: the state plus planned-vs-actual and a Temporal UI link. */
export type ProjectDetail = ProjectView;
