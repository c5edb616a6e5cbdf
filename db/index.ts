/** The app database: connection, migrations, repositories. */
export * from './database';
export * from './migrate';
export * from './schema';
export * from './records';
export * from './users';
export * from './directory';
export * from './inbox';
export * from './audit';
export * from './deliveries';
export * from './projects';
export * from './tokens';
export * from './templates';
export * from './first-run';
export * from './project-names';
