/**
 * `npm run bench -- <name> [options]`: runs one bench. Each entry loads its module only when
 * chosen, so one bench's dependencies never slow another's start.
 */
interface Bench {
  summary: string;
  load: () => Promise<{ main: (argv: string[]) => Promise<void> }>;
}

const BENCHES: Record<string, Bench> = {
  engine: {
    summary: 'projects driven through the built-in template vs a minimal Update baseline',
    load: () => import('./engine.js'),
  },
  api: {
    summary: 'concurrent approvers through the HTTP API vs the same Updates/Queries sent direct',
    load: () => import('./api.js'),
  },
  scale: {
    summary: 'lists, inbox and idle event streams at 1k–100k projects on SQLite and PostgreSQL',
    load: () => import('./scale.js'),
  },
  memory: {
    summary: 'worker RSS with N projects waiting at their monitor, at several workflow cache sizes',
    load: () => import('./memory.js'),
  },
  impact: {
    summary: 'impact analysis of N running projects vs fetching their histories alone',
    load: () => import('./impact.js'),
  },
  'record-write': {
    summary: "the worker's record write alone (the happy path's batches) vs one audit append",
    load: () => import('./record-write.js'),
  },
  designer: {
    summary: 'a 500-node template in the designer (headless Chromium) vs bare React Flow',
    load: () => import('./designer.js'),
  },
};

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (!bench) {
    if (name !== undefined) console.error(`bench: no bench named "${name}"`);
    console.error('usage: npm run bench -- <name> [options]\n\navailable benches:');
    for (const [key, b] of Object.entries(BENCHES))
      console.error(`  ${key.padEnd(10)} ${b.summary}`);
    return 1;
  }
  await (await bench.load()).main(rest);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed', error);
    process.exit(1);
  },
);
