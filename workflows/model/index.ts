/** The one model module: template format, commands, runtime state. Imports only zod. */
export * from './template';
export * from './duration';
export * from './commands';
export * from './state';
export * from './validate';
export * from './builtin';
