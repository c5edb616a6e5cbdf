/** Types for scripts/image-node.mjs (kept as plain JS so it runs before any build step). */
export declare const TOOLS_DIR: string;

/** The Node version of the Dockerfile's `ARG NODE_IMAGE=node:X.Y.Z-<variant>` (X.Y.Z). */
export declare function imageNodeVersion(): string;

/** The path of that Node's binary under .tools/, fetched with `npm pack` when missing. */
export declare function ensureImageNode(options?: {
  /** Fetch it when missing (default true); false: throw instead. */
  install?: boolean;
  /** Progress messages (default console.error). */
  log?: (message: string) => void;
}): string;
