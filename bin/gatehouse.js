#!/usr/bin/env node
/**
 * The `gatehouse` command: registers tsx's CommonJS and ES module hooks in this process (what
 * `node --import tsx` does) and runs cli/main.ts. No wrapper process, so signals reach the
 * command itself. The ES module hooks come from tsx/esm/api's ES build: its CommonJS build
 * cannot register them (tsx issue #666).
 */
'use strict';

require('tsx/cjs');

import('tsx/esm/api').then(
  ({ register }) => {
    register();
    require('../cli/main.ts');
  },
  (error) => {
    console.error('gatehouse: cannot load tsx (run npm ci):', error);
    process.exitCode = 1;
  },
);
