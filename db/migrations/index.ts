/**
 * Every migration, listed in code (no directory scanning: works the same under tsx, ts-jest
 * and a bundle). Add a file `NNNN_name.ts` and a line here; never edit a shipped migration.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_projects';
import * as m0003 from './0003_api';
import * as m0004 from './0004_trust';
import * as m0006 from './0006_security';
import * as m0007 from './0007_inbox';
import * as m0008 from './0008_attempts';
import * as m0009 from './0009_delegation';
import * as m0011 from './0011_lists';
import * as m0012 from './0012_changes';
import * as m0013 from './0013_open_actions';
import * as m0014 from './0014_impact';
import * as m0015 from './0015_bulk_migrations';
import * as m0016 from './0016_member_projects';
import * as m0017 from './0017_migration_attempts';
import * as m0018 from './0018_migration_late';
import * as m0019 from './0019_migration_fenced';
import * as m0020 from './0020_migration_answered_late';
import * as m0021 from './0021_project_progress';
import * as m0022 from './0022_portfolio_views';
import * as m0023 from './0023_open_action_words';
import * as m0024 from './0024_stage_versions';
import * as m0025 from './0025_inbox_pages';
import * as m0026 from './0026_stage_age_filters';
import * as m0027 from './0027_directory_pages';
import * as m0028 from './0028_filtered_views';
import * as m0029 from './0029_name_statistics';
import * as m0030 from './0030_stage_counts';
import * as m0031 from './0031_name_search';
import * as m0032 from './0032_name_search_pending';
import * as m0033 from './0033_name_search_pages';
import * as m0034 from './0034_name_search_merges';
import * as m0035 from './0035_name_folds';
import * as m0036 from './0036_deactivated_delegations';

/** Migrations by name; Kysely runs them in name order. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_projects': m0002,
  '0003_api': m0003,
  '0004_trust': m0004,
  '0006_security': m0006,
  '0007_inbox': m0007,
  '0008_attempts': m0008,
  '0009_delegation': m0009,
  '0011_lists': m0011,
  '0012_changes': m0012,
  '0013_open_actions': m0013,
  '0014_impact': m0014,
  '0015_bulk_migrations': m0015,
  '0016_member_projects': m0016,
  '0017_migration_attempts': m0017,
  '0018_migration_late': m0018,
  '0019_migration_fenced': m0019,
  '0020_migration_answered_late': m0020,
  '0021_project_progress': m0021,
  '0022_portfolio_views': m0022,
  '0023_open_action_words': m0023,
  '0024_stage_versions': m0024,
  '0025_inbox_pages': m0025,
  '0026_stage_age_filters': m0026,
  '0027_directory_pages': m0027,
  '0028_filtered_views': m0028,
  '0029_name_statistics': m0029,
  '0030_stage_counts': m0030,
  '0031_name_search': m0031,
  '0032_name_search_pending': m0032,
  '0033_name_search_pages': m0033,
  '0034_name_search_merges': m0034,
  '0035_name_folds': m0035,
  '0036_deactivated_delegations': m0036,
};
