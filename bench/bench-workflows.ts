/** Workflow bundle of the engine bench: the real lifecycle and the baseline on one worker. */
export { projectLifecycle } from '../workflows';
export { baselineUpdates, baselineWithLocalActivity } from './baseline-workflows';
