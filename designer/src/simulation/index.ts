/**
 * The simulation (SPEC §3 semantics, in the browser): a template's draft or a published
 * version stepped through its lifecycle by the workflow's own pure interpreter
 * (workflows/lifecycle), with virtual participants and a virtual clock. Mount `Simulation`
 * with `{ api, templateKey, version? }`; give its container a height.
 *
 * Selectors for browser tests (data-testid):
 *   simulation · sim-source (select: "draft" or a version number) · sim-loading · sim-error ·
 *   sim-invalid (the draft has problems; they are listed)
 *   Clock & status: sim-now (virtual time, "Mon 05 Jan 2026 09:00", UTC) · sim-status
 *     (active | on hold | completed | killed | cancelled) · sim-current (current node names) ·
 *     sim-notice (role=status: the last action, or why the interpreter refused it)
 *   Controls: sim-step (next happy-path action, or the next deadline when nobody can act) ·
 *     sim-run (repeat sim-step until the project ends) · sim-advance-next (jump to the next
 *     timer) · sim-advance-amount (ISO duration input) + sim-advance · sim-restart
 *   Actions: sim-actions · sim-action-<id>, ids: deliver-all-<node>, deliver-<node>-<item>,
 *     complete-<node>, signoff-all-<node> (every missing signer says go / accepts),
 *     signoff-<node>-<go|recycle|hold|kill>-<userId>, resume, raise-issue,
 *     resolve-<issueId>, extend, record-kpi, retire, condition-met-<id>, cancel.
 *     Virtual users are "<roleKey>-<n>" (e.g. pm-1, ops-manager-1); the PMO is "pmo".
 *   Inputs: sim-scorecard-<gate> with sim-score-<criterionId> (checkbox for must, 0..10 for
 *     should; full marks by default) · sim-issue-severity · sim-issue-title ·
 *     sim-kpi-metric · sim-kpi-value · sim-participants
 *   Graph: sim-graph; nodes rf__node-<id> carry the class sim-current | sim-done |
 *     sim-on_hold | sim-pending; followed edges have the class sim-taken
 *   Timeline: sim-timeline · sim-timeline-filter · sim-upcoming (next timers) · sim-event
 *     rows with data-kind="notification" (data-type = reminder, escalation, action-required,
 *     celebration, kpi-review, kpi-alert, …) or data-kind="audit" (data-type = the action,
 *     e.g. hypercare.expired, sla.escalated, project.ended)
 */
export { Simulation, type SimulationProps } from './Simulation';
