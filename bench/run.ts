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
