/**
 * The template designer (SPEC §1 "PMO designs gate templates"). Mount `TemplateDesigner` with
 * `{ api, templateKey?, onOpenSimulation?, onSavedAs?, readOnly? }`; without a key it starts a
 * new, empty template. `onSavedAs` hears the key a template was saved under when `templateKey`
 * does not name it (a new one's first save): pass that key back as `templateKey` and the designer
 * stays as it is (no reload: selection, view and undo history are kept). `readOnly` (users who
 * are not PMO) drops the palette and every editing tool, and disables the inspector's fields.
 * Give its container a height (it fills 100%; min 560px).
 *
 * Selectors for browser tests (stable `data-testid`s unless noted):
 *
 *   Screen       designer · designer-loading · designer-error · designer-status (role=status,
 *                last notice) · template-title · dirty-state ("saved" | "● unsaved changes" |
 *                "published version, no draft yet")
 *   Toolbar      new-template · undo · redo · auto-layout · import · export · simulate (only
 *                with onOpenSimulation) · save-draft · publish
 *   Palette      palette · palette-<type> for stage, gate, hypercare, review, monitor, notify,
 *                end (draggable: HTML5 drag with dataTransfer type
 *                "application/x-gatehouse-node-type" = the type; click/Enter adds at centre)
 *   Canvas       canvas (the drop target) · React Flow's own: rf__node-<nodeId>,
 *                rf__edge-<from>~<outcome> · node-errors-<nodeId> (error count badge) ·
 *                nodes carry classes gh-node-<type>, is-selected, has-errors
 *   Connecting   drag from a node's right handle to another node; when several outcomes are
 *                free: outcome-picker · outcome-<go|recycle|kill|done> · outcome-cancel.
 *                Keyboard alternative in the node inspector: edge-add-outcome (select) ·
 *                edge-add-target (select, node ids as values) · edge-add
 *   Inspector    tab-inspector · tab-versions · inspector · inspector-title ·
 *                fields: field-<path> for the selected node (field-id, field-name,
 *                field-description, field-owner, field-deliverables.0.name,
 *                field-signoff.rules.0.role, field-signoff.rules.0.min, field-sla.enabled,
 *                field-sla.due, field-sla.remind.0, field-sla.escalate.0.after,
 *                field-sla.escalate.0.notify-<role> (checkbox), field-criteria.0.kind,
 *                field-passScore, field-decisions-<decision>, field-opsOptional,
 *                field-duration, field-extendBy, field-maxExtensions, field-blockingSeverity,
 *                field-exit.rules.0.role, field-escalation.0.after, field-allMetrics,
 *                field-metrics-<key>, field-every, field-reviewers-<role>, field-alertAfter,
 *                field-escalate-<role>, field-to-<role>, field-message, field-result);
 *                field-template.<path> for the template (field-template.key, .name,
 *                .description, .start, .roles.0.key, .roles.0.operations, .metrics.0.target…);
 *                field-edge.on / field-edge.to for a selected edge.
 *                Lists: add-<scope><path> / remove-<scope><path>.<index>, e.g.
 *                add-deliverables, remove-signoff.rules.1, add-template.roles.
 *                make-start · delete-node · delete-edge · delete-selection.
 *                Invalid fields have aria-invalid="true"; DOM ids are f-<template path>
 *                (f-nodes.3.sla.due), which is what a problem click focuses.
 *   Problems     problems · problems-count ("valid" | "N problems") · problems-list ·
 *                problem-<i> (button; data-code = error code) · server-problems-list ·
 *                server-problem-<i> (errors of a refused publish the list does not hold yet)
 *   Versions     versions · versions-list · version-<n> · version-open-<n> ·
 *                version-simulate-<n> · diff-a · diff-b (selects: version numbers or
 *                "current") · diff-compare
 *   Impact       tab-impact (PMO, editable designer) · impact · impact-run · impact-summary
 *                [data-status = running|done] · impact-count-<unchanged|differs|blocked> ·
 *                impact-list · impact-project [data-project-id, data-class] · impact-open
 *                (its diff) · impact-select (unchanged ones) · impact-select-clean ·
 *                impact-migrate · migration-error · migration-progress [data-status =
 *                running|done] · migration-migrated · migration-late [data-count] (migrated after
 *                the job gave them up) · migration-failed · migration-retrying ·
 *                migration-retry [data-project-id, data-attempts] (pending, being retried) ·
 *                migration-failures (li: data-project-id, data-code)
 *   Diff         diff-view · diff-summary · diff-graph · diff-node-<id> / diff-edge-<from>~<on>
 *                (data-status = added | removed | changed) · diff-template-fields · diff-close
 *                · diff-project; a project's cards carry data-stands = now | would | both
 *   Import       import-dialog · import-file · import-text · import-error · import-result ·
 *                import-errors · import-load · import-cancel
 *
 * Keyboard: Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z or Ctrl+Y redo, Delete/Backspace removes the
 * selection, Ctrl/Cmd+C / Ctrl/Cmd+V copy and paste nodes (outside text fields).
 */
export { TemplateDesigner, type TemplateDesignerProps } from './TemplateDesigner';
