/** Types for scripts/temporal-cli.mjs (kept as plain JS so it runs before any build step). */
export declare const TEMPORAL_CLI_VERSION: string;
export declare const TEMPORAL_CLI_PACKAGE: string;
export declare const TOOLS_BIN: string;

/** Where the binary came from; `sdk-download` means none was found and none could be built. */
export type TemporalCliSource = 'env' | 'path' | 'tools' | 'installed' | 'sdk-download';

export interface TemporalCli {
  /** Absolute path of the binary; undefined only when `source` is `sdk-download`. */
  path: string | undefined;
  source: TemporalCliSource;
}

export declare function resolveTemporalCli(options?: {
  /** Build it with `go install` when missing (default true). */
  install?: boolean;
  /** Progress and fallback messages (default console.error). */
  log?: (message: string) => void;
}): TemporalCli;
