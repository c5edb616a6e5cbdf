/**
 * The portfolio of the `scale` bench, written through the app's own write path: each project's
 * batch (audit entries, texts, idempotency keys, its latest notifications into the inbox, the
 * read-model snapshot) goes through the worker's `writeBatch`, as a record write does.
 *
 * Driving 100,000 projects through the interpreter one by one would take longer than the
 * measurements, so the built-in template's happy path is rehearsed once with placeholder people
 * and ids; each project takes a prefix of it (where it stands: from just started to completed)
 * with its own id, name, start time and people put in. Every project is a state the interpreter
 * produced, so every list, filter and inbox sees a real mix of nodes, statuses and to-dos.
 */
import type { Kysely } from 'kysely';
import { createActivities, type RecordedBatch } from '../activities';
import type { Database } from '../db/schema';
import { seedTemplate } from '../db/templates';
import { insertUser } from '../db/users';
import { decide, startProject, type Effects } from '../workflows/lifecycle';
import { opsIntegratedDelivery, type Participants, type ProjectInput } from '../workflows/model';
import { runPool } from './measure';
import { rehearse } from './plan';

export const TEMPLATE = opsIntegratedDelivery;
export const PMO = 'scale-pmo';
/**
 * Takes part (as PM and steering) in {@link BUSY_PROJECTS} projects, or in all but FEW's where
 * the portfolio has no more (990 of 1,000).
 */
export const BUSY = 'scale-busy';
export const BUSY_PROJECTS = 1_000;
/** Takes part (as PM) in {@link FEW_PROJECTS} projects whatever the portfolio. */
export const FEW = 'scale-few';
export const FEW_PROJECTS = 10;
/**
 * How the seats are given, in kept portfolios' fingerprint (./scale.ts): a portfolio seated by
 * an earlier rule is seeded again. Until December 7, 2026 BUSY took every project of a
 * portfolio of 1,000 and FEW none, so the bench compared FEW's empty lists at 1k with ten
 * projects at 100k (nine: the first of FEW's seats fell before the first project).
 */
export const SEATING = 'few-first, ten';
/** Everyone else is drawn from this many users. */
const POOL = 400;
/** The first project starts here; each next one a minute later. */
const EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);

/** The rehearsed project's placeholders for its id and each role's seat. */
export const PROJECT = '@project@';
export const seat = (role: string) => `@seat:${role}@`;

/** The rehearsed happy path as batch prototypes: `prototypes[k]` stands after k steps. */
export interface Prototypes {
  prototypes: string[];
  roles: string[];
}

/**
 * The rehearsed project's input: placeholder id and seats (`@project@`, `@seat:<role>@`),
 * which each seeded project replaces with its own.
 */
export function placeholderInput(): { input: ProjectInput; roles: string[] } {
  const roles = TEMPLATE.roles.map((r) => r.key);
  const participants: Participants = Object.fromEntries(roles.map((r) => [r, [seat(r)]]));
  const input: ProjectInput = {
    projectId: PROJECT,
    name: `Project ${PROJECT}`,
    template: TEMPLATE,
    version: 1,
    participants,
    startedBy: PMO,
  };
  return { input, roles };
}

export function rehearsePortfolio(): Prototypes {
  const { input, roles } = placeholderInput();
  const commands = rehearse(input, EPOCH).map((step) => step.command);
  const started = startProject(input, EPOCH);
  let machine = started.machine;
  const audits: Effects['audits'] = [...started.effects.audits];
  const texts: Effects['texts'] = [...started.effects.texts];
  const keys: Effects['keys'] = [...started.effects.keys];
  const batch = (notifications: Effects['notifications']): string => {
    const recorded: RecordedBatch = {
      audits,
      notifications,
      texts,
      keys,
      project: machine.state,
    };
    return JSON.stringify(recorded);
  };
  const prototypes = [batch(started.effects.notifications)];
  for (const [step, command] of commands.entries()) {
    // Each step a little later, so timelines and due dates differ from step to step.
    const decision = decide(machine, command, EPOCH + (step + 1) * 60_000);
    if (!decision.ok) throw new Error(`rehearsal refused ${command.type}`);
    machine = decision.machine;
    audits.push(...decision.effects.audits);
    texts.push(...decision.effects.texts);
    keys.push(...decision.effects.keys);
    // Only the latest step's notifications: the inbox holds some per project, not all.
    prototypes.push(batch(decision.effects.notifications));
  }
  return { prototypes, roles };
}

/** Who sits in each seat of project `index`: distinct pool users, BUSY and FEW where due. */
function peopleOf(index: number, total: number, roles: string[]): Map<string, string> {
  const people = new Map<string, string>(
    roles.map((role, i) => [seat(role), `scale-u${(index * 7 + i) % POOL}`]),
  );
  // FEW first: where BUSY's stride is 1 (1,000 projects or fewer), BUSY would take them all.
  if (isEvery(index, total, FEW_PROJECTS, 3)) {
    people.set(seat('pm'), FEW);
  } else if (isEvery(index, total, BUSY_PROJECTS)) {
    people.set(seat('pm'), BUSY);
    people.set(seat('steering'), BUSY);
  }
  return people;
}

/** `count` of `total` indices, evenly spread (`offset` before each stride's end). */
function isEvery(index: number, total: number, count: number, offset = 0): boolean {
  const stride = Math.max(1, Math.floor(total / count));
  const at = index + offset - (stride - 1);
  return at >= 0 && at % stride === 0 && at / stride < count;
}

/** The users the portfolio names; they must exist (inbox rows reference them). */
export async function seedPeople(db: Kysely<Database>): Promise<void> {
  const ids = [PMO, BUSY, FEW, ...Array.from({ length: POOL }, (_, i) => `scale-u${i}`)];
  for (const id of ids) {
    const created = await insertUser(db, {
      id,
      name: id,
      email: `${id}@scale.example.test`,
      pmo: id === PMO,
      createdAt: EPOCH,
    });
    if (!created.ok) throw new Error(`user ${id}: ${created.code}`);
  }
  await seedTemplate(db, TEMPLATE, EPOCH);
}

/**
 * Writes projects `from` … `to - 1` of a portfolio that will hold `total` (which decides who
 * the busy users are), `concurrency` batches at a time.
 */
export async function seedProjects(
  db: Kysely<Database>,
  portfolio: Prototypes,
  range: { from: number; to: number; total: number },
  concurrency: number,
): Promise<void> {
  const { writeBatch } = createActivities({
    db,
    log: { info: () => undefined, warn: console.warn },
  });
  const { prototypes, roles } = portfolio;
  await runPool(range.to - range.from, concurrency, async (n) => {
    const index = range.from + n;
    // A third of the projects are done, the rest stand anywhere along the way (hashed, so
    // where a project stands does not follow who takes part in it).
    const mix = Math.imul(index + 1, 2_654_435_761) >>> 0;
    const k = mix % 3 === 0 ? prototypes.length - 1 : (mix >>> 8) % prototypes.length;
    let json = prototypes[k]!.replaceAll(PROJECT, `scale-${index}`);
    for (const [placeholder, user] of peopleOf(index, range.total, roles)) {
      json = json.replaceAll(placeholder, user);
    }
    const batch = JSON.parse(json) as RecordedBatch;
    const project = batch.project!;
    const startedAt = EPOCH + index * 60_000;
    batch.project = { ...project, startedAt, updatedAt: startedAt + (project.updatedAt - EPOCH) };
    await writeBatch(batch);
  });
}
