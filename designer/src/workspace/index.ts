/**
 * The workspace: portfolio, project view (graph with live state, hypercare, conditions,
 * activity, feedback, benefits) and the approver's inbox. The shell (designer/src/shell) signs
 * in, routes by hash and mounts these screens.
 *
 * Hash routes: #/portfolio[?status=&template=] · #/projects/<id>[/activity|/feedback|/benefits]
 * [?node=<step>] · #/inbox[/notifications[?project=&kind=&unread=true]] · #/templates · #/templates/new · #/templates/<key>/edit
 * · #/templates/<key>/simulate[?version=n]
 *
 * Stable `data-testid`s for browser tests (data attributes in brackets):
 *
 * Sign-in and shell
 *   signin · signin-form · signin-token · signin-submit · signin-error
 *   demo-users · demo-user [data-user-id]                 (only when GET /api/demo/users answers)
 *   nav · nav-portfolio · nav-inbox · nav-templates · nav-inbox-count · nav-unread-count
 *   user-menu · user-menu-button · user-menu-name · sign-out
 *   loading · empty · problem [data-status] · problem-field-error [data-code] · notice
 *
 * Portfolio
 *   portfolio · portfolio-table · portfolio-filter-status · portfolio-filter-template
 *   portfolio-row [data-project-id, data-status] → portfolio-current · portfolio-days
 *     · portfolio-hypercare · project-status [data-status]
 *   portfolio-load-more · start-project-button · practice-project-button (embedded default)
 *   first-run (the PMO's checklist) · first-run-progress · first-run-step [data-step =
 *     design|publish|start|sign|escalate, data-done] · first-run-practice · first-run-hide
 *     · first-run-show
 * Start dialog
 *   start-dialog · start-form · start-name · start-template · start-version · start-participants
 *   start-role-<role> (a people picker: type a name or e-mail; Enter takes the first match)
 *   · start-role-<role>-options [data-query once it answers what is typed] → people-option
 *   [data-user-id, aria-disabled when deactivated] · start-role-<role>-chips (chips carry
 *   [data-value]) · start-role-<role>-error · start-error · start-submit
 *
 * Templates (shell): templates · template-row [data-template-key] · template-new
 *
 * Project view
 *   project-view [data-project-id, data-status, data-seq] · project-error
 *   stream-status [data-state = connecting|live|reconnecting|ended|failed|off]
 *   temporal-link · project-manage · project-manage-dialog · migrate-form · dry-run
 *   → dry-run-result [data-class = unchanged|differs|blocked] → dry-run-difference [data-kind]
 *   project-tab-overview|activity|feedback|benefits
 *   project-graph [data-opened = fit|focus once its view is in place, data-folded] · graph-node [data-node-id, data-type, data-status =
 *     done|active|on_hold|blocked|pending, data-current, data-overdue]
 *     → node-tally [data-role, data-go, data-min] (text "ops-lead 1/2")
 *     → node-deliverables [data-submitted, data-total] · node-hypercare
 *   node-panel [data-node-id] · node-picker · node-due [data-overdue] · node-votes
 *     · node-deliverable-list
 *   node-action [data-action] (your turn on the selected node: the same forms as the inbox)
 *   on-hold-banner · your-turn-banner
 *   hypercare-panel [data-phase] · hypercare-countdown · hypercare-extensions
 *     · hypercare-escalations (li [data-fired]) · hypercare-open-issues
 *     · hypercare-issue [data-issue-id, data-severity] · issue-resolve · issue-resolve-form
 *     · issue-resolve-submit · issue-form · issue-severity · issue-title · issue-submit
 *     · extend-form · extend-reason · extend-submit
 *   conditions-panel · condition [data-condition-id, data-status] · condition-open
 *   timeline · audit-table · audit-row [data-action] · audit-load-more
 *   feedback-list · feedback-entry [data-kind] · feedback-form · feedback-kind-feedback
 *     · feedback-kind-lesson · feedback-text · feedback-submit
 *   pir-section · pir-chart [data-metric, data-verdict = met|missed|no-data]
 *   pir-view (a review's step panel) · pir-metrics → pir-metric [data-metric, data-met]
 *     → pir-metric-pilot · pir-metric-actual · pir-feedback → pir-lesson · pir-feedback-item
 *     [data-status] → pir-feedback-acted · pir-scorecard → pir-criterion [data-criterion]
 *     · pir-score · pir-decisions → (a review entered again: pir-decision-visit [data-visit,
 *     data-latest] → pir-decision-visit-heading) → pir-decision [data-visit] · pir-decisions-kept
 *     · pir-decision-form · pir-decision-text · pir-decision-submit · pir-actions →
 *     (pir-action-visit [data-visit, data-latest] → pir-action-visit-heading) → pir-action
 *     [data-action-id, data-status = open|met|missed] → pir-action-facts · pir-action-open
 *     · pir-action-form · pir-action-text · pir-action-owner (role:<key> | user:<id>)
 *     · pir-action-due · pir-action-submit
 *   kpi-section · kpi-chart [data-metric, data-readings] · monitor-next-review
 *
 * Inbox
 *   inbox · inbox-tab-actions · inbox-tab-notifications · inbox-items
 *   inbox-item [data-action, data-project-id, data-node-id, data-item-id] · inbox-item-toggle
 *     · inbox-item-due [data-overdue] ("due in 2 days", "3 days overdue")
 *     · inbox-item-roles [data-roles: the keys] ("as Operations lead")
 *     · inbox-item-issue [data-severity, data-blocks-exit] ("S1 Critical", "blocks the exit")
 *   notifications · notifications-filter-project · notifications-filter-kind
 *     · notifications-filter-unread · notifications-mark-all · notification-list
 *     · notification [data-id, data-kind, data-project-id, data-read] → notification-open
 *     (the deep link) · notification-mark-read · notifications-load-more
 *
 * Action forms (in inbox items, the node panel and the hypercare panel)
 *   signoff-form [data-node-id] · signoff-decision-go|recycle|hold|kill · signoff-role
 *     · signoff-scorecard · signoff-criterion-<id> (must: checkbox; should: number 0..10)
 *     · signoff-criterion-<id>-slider · signoff-score · signoff-missing-deliverables
 *     · signoff-conditions · signoff-condition-add · signoff-condition-<i>-text|due|owner|remove
 *     · signoff-comment · signoff-error · signoff-submit
 *   deliverable-form · deliverable-url · deliverable-text · deliverable-submit
 *   complete-stage-form · complete-stage-submit
 *   condition-met-form · condition-met-note · condition-met-submit
 *   review-action-done-form · review-action-done-note · review-action-done-submit
 *   resume-form · resume-reason · resume-submit (also retire-*, cancel-*)
 *   kpi-form · kpi-metric · kpi-value · kpi-at · kpi-submit
 */
export { Portfolio } from './portfolio/Portfolio';
export { StartProjectDialog } from './portfolio/StartProjectDialog';
export { ProjectView } from './project/ProjectView';
export { Inbox } from './inbox/Inbox';
