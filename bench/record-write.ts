/**
 * `npm run bench -- record-write`: the worker's record write alone, without Temporal. The
 * built-in template's happy path is rehearsed once on the pure interpreter with placeholder
 * people and ids, as the workflow would send it (one batch per step: that step's audit entries,
 * notifications, texts and idempotency key, the state as `recordedState` sends it, each write of
 * a newer workflow task attempt, fenced); N projects each replay it, step by step in turns, through
 * `recordEffects` on a fresh database opened as the worker opens it.
 *
 * Its reference, measured in the same run in turns with it: the barest durable write, one audit
 * entry in one transaction through the same activity (bench/baseline-workflows.ts
 * `baselineWithWrite`, the engine bench's `floor+write`). Both print CPU ms per write, of the
 * main thread (where the worker runs its local activities) and of the whole process (with V8's
 * helpers and the SQLite checkpointer's thread), and their ratio.
 *
 * Options: `--projects N` (per round), `--rounds N`, `--warmup N` (projects), `--postgres`
 * (PostgreSQL instead of SQLite), `--profile` (a CPU profile of each round's record writes,
 * written to ./record-write-<round>.cpuprofile: its cost is in the numbers).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { createActivities, type RecordedBatch } from '../activities';
import { decide, startProject, type Effects } from '../workflows/lifecycle';
import { recordedState } from '../workflows/lifecycle/effects';
import type { ProjectState } from '../workflows/model';
import { threadCpuMs } from './cpu';
import { formatColumns } from './measure';
import { numberOptions } from './options';
import { rehearse } from './plan';
import { openScaleDatabase } from './scale-database';
import { placeholderInput, PROJECT, seat, seedPeople } from './scale-seed';

/** The users bench/scale-seed.ts seeds: a project's seats are drawn from them. */
const POOL = 400;

/** The rehearsed record writes of one project, as JSON with placeholders. */
export function rehearseWrites(epoch: number): { batches: string[]; roles: string[] } {
  const { input, roles } = placeholderInput();
  const started = startProject(input, epoch);
  let machine = started.machine;
  const batches = [batchOf(started.effects, machine.state, 0, epoch)];
  // With an idempotency key each, as the API sends every action (bench/engine.ts argsOf).
  const commands = rehearse(input, epoch).map((step, i) => ({
    ...step.command,
    idempotencyKey: `${PROJECT}:${step.command.type}:${i}`,
  }));
  for (const [step, command] of commands.entries()) {
    const now = epoch + (step + 1) * 60_000;
    const decision = decide(machine, command, now);
    if (!decision.ok) throw new Error(`rehearsal refused ${command.type}`);
    machine = decision.machine;
    batches.push(batchOf(decision.effects, machine.state, step + 1, now));
  }
  return { batches, roles };
}

/** What workflows/outbox.ts sends for one step: its effects and state, fenced by its attempt. */
function batchOf(effects: Effects, state: ProjectState, step: number, now: number): string {
  const digits = (n: number, width: number) => String(n).padStart(width, '0');
  const batch: RecordedBatch = {
    // Every write a newer workflow task attempt, as in a running workflow (outbox attemptTag).
    attempt: digits(now - step * 60_000, 15) + digits(3 * step + 5, 10) + digits(now, 15),
    from: {
      seq: effects.audits[0]?.seq ?? state.seq,
      note: state.notified - effects.notifications.length,
    },
    audits: effects.audits,
    notifications: effects.notifications,
    ...(effects.texts.length > 0 && { texts: effects.texts }),
    ...(effects.keys.length > 0 && { keys: effects.keys }),
    project: recordedState(state),
  };
  return JSON.stringify(batch);
}

/** The batches of project `id` (index `index`): its own id and people put in. */
export function projectBatches(batches: string[], roles: string[], id: string, index: number) {
  return batches.map((json) => {
    let text = json.replaceAll(PROJECT, id);
    roles.forEach((role, i) => {
      text = text.replaceAll(seat(role), `scale-u${(index * 7 + i) % POOL}`);
    });
    return JSON.parse(text) as RecordedBatch;
  });
}

interface Spent {
  writes: number;
  mainMs: number;
  processMs: number;
}

/** Runs `writes` in order and measures their CPU (profiled when `profiler` is given). */
async function measured(writes: (() => Promise<unknown>)[], profiler?: Session): Promise<Spent> {
  await profiler?.post('Profiler.start');
  const [main0, cpu0] = [threadCpuMs() ?? Number.NaN, process.cpuUsage()];
  for (const write of writes) await write();
  const cpu = process.cpuUsage(cpu0);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiles.push(profile);
  }
  return {
    writes: writes.length,
    mainMs: (threadCpuMs() ?? Number.NaN) - main0,
    processMs: (cpu.user + cpu.system) / 1000,
  };
}

/** The record writes' profiles (`--profile`), one per round. */
const profiles: object[] = [];

const add = (a: Spent, b: Spent): Spent => ({
  writes: a.writes + b.writes,
  mainMs: a.mainMs + b.mainMs,
  processMs: a.processMs + b.processMs,
});

export async function main(argv: string[]): Promise<void> {
  const postgres = argv.includes('--postgres');
  const profile = argv.includes('--profile');
  const options = numberOptions(
    argv.filter((a) => a !== '--postgres' && a !== '--profile'),
    {
      projects: { default: 40, min: 1 },
      rounds: { default: 4, min: 1 },
      warmup: { default: 5, min: 0 },
    },
  );
  const epoch = Date.now();
  const { batches, roles } = rehearseWrites(epoch);
  const [load] = os.loadavg();
  console.log(
    `record-write bench: ${options.projects} projects × ${batches.length} record writes per ` +
      `round, ${options.rounds} rounds, on ${postgres ? 'PostgreSQL' : 'SQLite'} ` +
      `(${os.availableParallelism()} CPUs, load average ${load?.toFixed(1)})`,
  );
  const profiler = profile ? new Session() : undefined;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.setSamplingInterval', { interval: 100 });
  const database = await openScaleDatabase(postgres ? 'postgres' : 'sqlite');
  try {
    await seedPeople(database.db);
    // As the worker builds them (worker/main.ts): one set for the whole run.
    const { recordEffects } = createActivities({
      db: database.db,
      log: { info: () => undefined, warn: console.warn },
    });
    let baselineSeq = 0;
    /** The barest durable write: one audit entry of a project of its own, no attempt. */
    const baselineWrites = (round: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const projectId = `floor-${round}-${i % options.projects}`;
        const seq = Math.floor(i / options.projects) + 1;
        return () =>
          recordEffects({
            audits: [
              {
                projectId,
                seq,
                at: epoch + ++baselineSeq,
                actor: 'bench',
                action: 'bench.recorded',
                detail: { arg: { n: i } },
              },
            ],
            notifications: [],
          });
      });
    /** Every project's step k before any project's step k + 1, as projects advance together. */
    const engineWrites = (round: number, projects: number) => {
      const perProject = Array.from({ length: projects }, (_, i) =>
        projectBatches(batches, roles, `rw-${round}-${i}`, (round + 1) * projects + i),
      );
      return batches.flatMap((_, step) => perProject.map((own) => () => recordEffects(own[step]!)));
    };
    // Warm-up: JIT, prepared statements, the template read once.
    if (options.warmup > 0) {
      await measured(engineWrites(-1, options.warmup));
      await measured(baselineWrites(-1, options.warmup * batches.length));
    }
    let record: Spent = { writes: 0, mainMs: 0, processMs: 0 };
    let floor: Spent = { writes: 0, mainMs: 0, processMs: 0 };
    for (let round = 0; round < options.rounds; round++) {
      const writes = engineWrites(round, options.projects);
      const reference = baselineWrites(round, writes.length);
      // AB BA AB …: drift over the run weighs on both alike.
      if (round % 2 === 0) {
        record = add(record, await measured(writes, profiler));
        floor = add(floor, await measured(reference));
      } else {
        floor = add(floor, await measured(reference));
        record = add(record, await measured(writes, profiler));
      }
    }
    report(record, floor);
    for (const [round, p] of profiles.entries()) {
      const file = `record-write-${round}.cpuprofile`;
      await writeFile(file, JSON.stringify(p));
      console.log(`profile of round ${round}'s record writes: ${file}`);
    }
  } finally {
    await database.close();
  }
}

function report(record: Spent, floor: Spent): void {
  const per = (s: Spent, ms: number) => (ms / s.writes).toFixed(3);
  const rows = [
    [
      'record write',
      String(record.writes),
      per(record, record.mainMs),
      per(record, record.processMs),
    ],
    ['floor write', String(floor.writes), per(floor, floor.mainMs), per(floor, floor.processMs)],
  ];
  console.log(
    `\n${formatColumns(['phase', 'writes', 'main cpu ms/write', 'process cpu ms/write'], rows)}`,
  );
  const ratio = (a: number, b: number) => (a / record.writes / (b / floor.writes)).toFixed(2);
  console.log(
    `\nrecord write / floor write: main thread ${ratio(record.mainMs, floor.mainMs)}, ` +
      `process ${ratio(record.processMs, floor.processMs)}`,
  );
}
