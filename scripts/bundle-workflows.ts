/**
 * `npm run workflows:bundle`: the workflow bundle a worker loads instead of bundling at start
 * (worker/workflow-bundle.ts). The Dockerfile runs it; `npm run proof` too, as the image build.
 */
import path from 'node:path';
import { BUNDLE_DIR, writeWorkflowBundle } from '../worker/workflow-bundle';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : BUNDLE_DIR;
const started = Date.now();
writeWorkflowBundle(dir).then(
  ({ files, bytes }) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `workflows:bundle: ${(bytes / 1e6).toFixed(1)} MB from ${files} files in ${dir} (${seconds} s)`,
    );
  },
  (error: unknown) => {
    console.error(`workflows:bundle: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
