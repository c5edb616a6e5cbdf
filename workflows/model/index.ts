/**
 * The one model module: template format, commands, runtime state. Imports only zod. Workflow
 * code takes values from the modules themselves: through here it would build every schema for
 * each workflow (docs/architecture.md).
 */
export * from './template';
export * from './duration';
export * from './duration-bounds';
export * from './text';
export * from './severity';
export * from './commands';
export * from './actions';
export * from './idempotency';
export * from './node-record';
export * from './state';
export * from './state-versions';
export * from './state-migrations';
export * from './results';
export * from './validate';
export * from './reserved-ids';
export * from './staffing';
export * from './signers';
export * from './deliverables';
export * from './scorecard';
export * from './builtin';
export * from './records';
export * from './project-metrics';
export * from './delivery';
export * from './progress';
export * from './readiness';
export * from './duty';
export * from './impact';
export * from './bulk-migration';
export * from './bulk-migration-record';
