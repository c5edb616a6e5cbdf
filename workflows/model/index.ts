/** The one model module: template format, commands, runtime state. Imports only zod. */
export * from './template';
export * from './duration';
export * from './text';
export * from './severity';
export * from './commands';
export * from './actions';
export * from './idempotency';
export * from './state';
export * from './state-versions';
export * from './results';
export * from './validate';
export * from './staffing';
export * from './signers';
export * from './deliverables';
export * from './scorecard';
export * from './builtin';
export * from './records';
