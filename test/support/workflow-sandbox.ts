/**
 * A workflow bundle loaded as a worker loads it, without a server: the Temporal SDK's own
 * reusable V8 context (`ReusableVMWorkflowCreator`), which evaluates the preloaded modules into
 * a cache every workflow shares and deep-freezes them, then gives each workflow a module cache
 * of its own. `open()` evaluates the bundle's modules for one more workflow, as the SDK does
 * when it creates one, and hands back that workflow's module cache: what it evaluated itself.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';

/** A module as webpack caches it. */
interface CachedModule {
  exports: unknown;
}

export interface SandboxWorkflow {
  /** The modules this workflow evaluated itself, by webpack id (`./workflows/…`). */
  modules: ReadonlyMap<string, CachedModule>;
  /** The exports of this workflow's module whose path ends with `suffix`. */
  exportsOf<T>(suffix: string): T;
}

export interface Sandbox {
  open(): SandboxWorkflow;
  /** The module of that webpack id every workflow shares (preloaded), if it is one. */
  shared(id: string): CachedModule | undefined;
  /** `value` made again in the sandbox's realm, as a workflow decodes its payloads there. */
  inRealm(value: unknown): unknown;
  close(): Promise<void>;
}

/** What the SDK's module cache reads to tell whose module it is (a workflow's activator). */
type SandboxContext = vm.Context & {
  __TEMPORAL_ACTIVATOR__?: { moduleCache: Map<string, CachedModule> };
  /** The SDK's cache in front of the bundle's: the shared modules, else the workflow's. */
  __webpack_module_cache__?: Record<string, CachedModule | undefined>;
};

/** The SDK's workflow creator, its V8 context in reach (a protected getter there). */
class SandboxCreator extends ReusableVMWorkflowCreator {
  get sandbox(): SandboxContext {
    return this.context as SandboxContext;
  }
}

export async function openSandbox(codePath: string): Promise<Sandbox> {
  const creator = await SandboxCreator.create(
    parseWorkflowCode(readFileSync(codePath, 'utf8'), codePath),
    10_000,
    new Set(),
    undefined,
  );
  const context = creator.sandbox;
  // The realm's own built-ins live on its inner global, out of reach of the context object.
  const parseInRealm = vm.runInContext('JSON.parse', context) as JSON['parse'];
  return {
    open() {
      const moduleCache = new Map<string, CachedModule>();
      context.__TEMPORAL_ACTIVATOR__ = { moduleCache };
      try {
        vm.runInContext('__TEMPORAL__.importWorkflows()', context);
      } finally {
        delete context.__TEMPORAL_ACTIVATOR__;
      }
      return {
        modules: moduleCache,
        exportsOf<T>(suffix: string): T {
          const id = [...moduleCache.keys()].find((key) => key.endsWith(suffix));
          if (id === undefined) throw new Error(`the workflow did not evaluate …${suffix}`);
          return moduleCache.get(id)!.exports as T;
        },
      };
    },
    // Outside any workflow (no activator) the SDK's cache answers with shared modules only.
    shared: (id) => context.__webpack_module_cache__?.[id],
    inRealm: (value): unknown => parseInRealm(JSON.stringify(value)) as unknown,
    close: () => creator.destroy(),
  };
}
