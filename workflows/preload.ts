/**
 * Zod, evaluated once per worker instead of once per workflow. The SDK gives every workflow it
 * starts, continues as new or replays after an eviction a module cache of its own, so each
 * cached project held a Zod of its own (about 650 KiB of heap). The bundle names this module
 * in `preloadModules` (worker/workflow-bundle.ts): the SDK evaluates it, before any workflow,
 * into a cache all workflows share, then deep-freezes what those modules hold (own properties,
 * not prototypes; a frozen Map or WeakMap still works). Every workflow's schemas are then built
 * by that one Zod; test/workflows/zod-preload.test.ts loads the bundle as the SDK does.
 *
 * What Zod writes on first use must be written here, before the freeze, or the first workflow
 * to use it throws. Building one object schema does it all:
 * - Zod's configuration (`z.config()`, one object on `globalThis`) gets the English locale
 *   when the first schema is built and the memoizer when the first object is ("Cannot add
 *   property localeError, object is not extensible" otherwise);
 * - whether code may be generated (`allowsEval`) is asked, and cached, when the first object
 *   is built ("Cannot assign to read only property '_value'" otherwise).
 * Zod's own patterns are frozen too, and Zod resets a pattern's `lastIndex` before each test:
 * a workflow's schema must not test with one (`z.email()`, `z.uuid()`, `.lowercase()`…) but
 * with a pattern of its own (`.regex()`). The test names any schema that holds a frozen one.
 *
 * Only Zod is shared, never a schema of ours: Zod completes a schema on its first parse
 * (`_zod.parse = …`), which a frozen schema refuses. What Zod keeps between parses (its
 * memoizer's stack of open entries, members and lazy fields installed once per prototype,
 * WeakMaps keyed by schema) is per schema or empty again once a parse returns, and the
 * workflows' parses are synchronous: no workflow sees another's values.
 *
 * This module must use something from each of Zod's modules the workflows reach: Zod declares
 * itself free of side effects, so webpack skips its barrels and requires only the module that
 * defines what is used (`z.object`: classic/schemas.js, `z.iso`: classic/iso.js). A module of
 * Zod a workflow reaches and this one does not is evaluated again for every workflow (the test
 * names it): use it here too.
 */
import { z } from 'zod';

z.object({ at: z.iso.datetime() });
const config = z.config();
if (config.localeError === undefined || config.memoizer === undefined) {
  throw new Error("workflows/preload: building a schema no longer completes Zod's configuration");
}
