/**
 * The third-party modules the workflows use, evaluated once per worker instead of once per
 * workflow. The SDK gives every workflow it starts, continues as new or replays after an
 * eviction a module cache of its own, so each cached project held a copy of each of them (Zod
 * about 650 KiB of heap; @noble/hashes, the SDK's own `@temporalio/workflow` index and
 * tinyduration about 50 KiB more). The bundle names this module in `preloadModules`
 * (worker/workflow-bundle.ts): the SDK evaluates it, before any workflow, into a cache all
 * workflows share, then deep-freezes what those modules export (own properties, not
 * prototypes; a frozen Map or WeakMap still works; a typed array cannot be frozen and is left
 * as it is). test/workflows/zod-preload.test.ts and shared-modules.test.ts load the bundle as the
 * SDK does; the latter names any module of node_modules a workflow still evaluates itself.
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
 * with a pattern of its own (`.regex()`). zod-preload.test.ts names a schema that holds one.
 *
 * The others write nothing shared that outlives one synchronous call, and the workflows of a
 * worker run one at a time on its thread, so no workflow sees what another wrote:
 * - @noble/hashes (model/idempotency.ts): SHA-256 compresses each block in one scratch array of
 *   its module's scope (`SHA256_W`, out of the freeze's reach), filled whole before it is read
 *   and zeroed after; the rest of a hash's state is the hash object's own. What it exports of
 *   typed arrays (initial values, only read) the freeze cannot freeze and leaves shared as is.
 * - tinyduration (model/duration.ts) matches with a pattern of its module's scope that is not
 *   global (a match leaves its `lastIndex` alone) and throws one error object, now frozen, for
 *   what it cannot read; duration.ts catches it.
 * - `@temporalio/workflow`'s index and the modules only it requires (metrics, random streams,
 *   Nexus, Trigger) keep nothing: each call asks the running workflow's activator, as the rest
 *   of the SDK's workflow library does, which the SDK itself shares (its entry requires it
 *   before any workflow).
 *
 * Never a module of ours: a schema of ours would break, as Zod completes a schema on its first
 * parse (`_zod.parse = …`), which a frozen schema refuses. What Zod keeps between parses (its
 * memoizer's stack of open entries, members and lazy fields installed once per prototype,
 * WeakMaps keyed by schema) is per schema or empty again once a parse returns, and the
 * workflows' parses are synchronous.
 *
 * This module must use what the workflows use of each: an import whose bindings go unused is
 * dropped (by swc; by webpack for Zod and @noble/hashes, which declare themselves free of side
 * effects), and webpack requires only the module of Zod that defines what is used (`z.object`:
 * classic/schemas.js, `z.iso`: classic/iso.js). A module a workflow reaches and this one does
 * not is evaluated again for every workflow (shared-modules.test.ts names it): use it here too.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
// The index the workflows import; a bare import stays, as the SDK does not declare itself free
// of side effects.
import '@temporalio/workflow';
import { parse } from 'tinyduration';
import { z } from 'zod';

z.object({ at: z.iso.datetime() });
const config = z.config();
if (config.localeError === undefined || config.memoizer === undefined) {
  throw new Error("workflows/preload: building a schema no longer completes Zod's configuration");
}

// Published answers (SHA-256 of no bytes; P1DT2H): what the workflows share works here.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
if (bytesToHex(sha256(utf8ToBytes(''))) !== EMPTY_SHA256 || parse('P1DT2H').hours !== 2) {
  throw new Error('workflows/preload: @noble/hashes or tinyduration answers wrongly here');
}
