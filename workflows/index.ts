/** Workflow entry point bundled by the worker: workflow functions only. */
export { projectLifecycle } from './project-lifecycle';
export { bulkMigration } from './bulk-migration';
