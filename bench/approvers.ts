/**
 * The approver workload of the API bench, independent of how requests travel: each slot owns
 * one project whose start gate it keeps cycling through real sign-offs, and reads the state
 * around them. A round is
 *
 *   read (as the signer) → sign off "hold" (signer) → read (as the PMO) → resume (PMO)
 *
 * with the signer alternating between the gate's signer roles. A hold puts the project on hold
 * and a resume reopens the gate for a fresh vote, so every step of every round is valid for as
 * long as the bench runs: any refusal is a bug, not the workload running out of actions.
 */
import { performance } from 'node:perf_hooks';

/** What a step does; bodies are exactly what a client posts. */
export type Step =
  | { kind: 'read'; as: string }
  | { kind: 'signoff'; as: string; body: { decision: 'hold'; comment: string } }
  | { kind: 'resume'; as: string; body: { reason: string } };

/** Who acts in a round, derived from the template by the bench. */
export interface Cast {
  /** The gate every slot cycles through (its decisions include `hold`). */
  gate: string;
  /** One user per signer role of the gate; rounds take turns. */
  signers: string[];
  /** A user with the PMO flag: resumes the gate. */
  pmo: string;
}

/** Sends one step to one project; rejects when it was not carried out. */
export type Send = (projectId: string, step: Step) => Promise<void>;

/** What one phase measured, client side. */
export interface Samples {
  /** Round trips of successful state reads, ms. */
  readMs: number[];
  /** Round trips of successful Updates (sign-offs and resumes), ms. */
  updateMs: number[];
  errors: number;
  /** The first few failures, for the report. */
  firstErrors: string[];
  /** From the first request to the last answer. */
  wallMs: number;
}

const KEPT_ERRORS = 5;

/** The steps of round `n` (0-based). */
export function round(cast: Cast, n: number): Step[] {
  const signer = cast.signers[n % cast.signers.length]!;
  return [
    { kind: 'read', as: signer },
    { kind: 'signoff', as: signer, body: { decision: 'hold', comment: 'bench: needs rework' } },
    { kind: 'read', as: cast.pmo },
    { kind: 'resume', as: cast.pmo, body: { reason: 'bench: rework done' } },
  ];
}

/**
 * One loop per project, all at once, each sending its rounds one step at a time until
 * `seconds` have passed; the step in flight then finishes, so nothing is cut off half-way.
 */
export async function drive(
  projectIds: readonly string[],
  cast: Cast,
  seconds: number,
  send: Send,
): Promise<Samples> {
  const samples: Samples = { readMs: [], updateMs: [], errors: 0, firstErrors: [], wallMs: 0 };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (projectId: string) => {
    for (let n = 0; performance.now() < deadline; n++) {
      for (const step of round(cast, n)) {
        if (performance.now() >= deadline) return;
        const t0 = performance.now();
        try {
          await send(projectId, step);
          (step.kind === 'read' ? samples.readMs : samples.updateMs).push(performance.now() - t0);
        } catch (error) {
          samples.errors++;
          if (samples.firstErrors.length < KEPT_ERRORS) {
            samples.firstErrors.push(`${step.kind} on ${projectId}: ${describe(error)}`);
          }
        }
      }
    }
  };
  await Promise.all(projectIds.map(loop));
  samples.wallMs = performance.now() - started;
  return samples;
}

/** The message with its causes: a failed Update says why only in its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${describe(error.cause)}`;
}
