/**
 * Bounded state (issue 8): whatever participants do within the caps, 1,000 actions and more,
 * with every text at its longest in four-byte characters and every list at its cap, the state
 * and every payload Temporal carries stay under 256 KiB, and the project still completes.
 * (test/workflows/bounded-state.test.ts runs the worst state found here on a real server.)
 */
import fc from 'fast-check';
import { shortTemplate } from '../fixtures/short-template';
import { worstUse, type Sizes } from './worst-use';

const LIMIT = 256 * 1024;
const SEED = Number(process.env.GATEHOUSE_FC_SEED ?? 20_260_808);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

it('keeps the state and every payload under 256 KiB through 1,000 worst-case actions', () => {
  const template = shortTemplate();
  const largest: Sizes = {
    state: 0,
    updateInput: 0,
    updateResult: 0,
    recordWrite: 0,
    continueAsNew: 0,
  };
  let actions = 0;
  fc.assert(
    fc.property(fc.array(fc.nat(), { minLength: 3000, maxLength: 3000 }), (choices) => {
      const run = worstUse(template, choices);
      actions = Math.max(actions, run.actions);
      for (const key of Object.keys(largest) as (keyof Sizes)[]) {
        largest[key] = Math.max(largest[key], run.max[key]);
        expect([key, run.max[key] < LIMIT]).toEqual([key, true]);
      }
      expect(run.actions).toBeGreaterThanOrEqual(1000);
      expect(run.machine.state.status).toBe('completed');
    }),
    { seed: SEED, numRuns: 4 },
  );
  console.log(
    `bounded state over ${actions}+ actions per run: largest state ${kib(largest.state)}, ` +
      `continue-as-new input ${kib(largest.continueAsNew)}, record write ${kib(largest.recordWrite)}, ` +
      `Update input ${kib(largest.updateInput)}, Update answer ${kib(largest.updateResult)} ` +
      `(limit ${kib(LIMIT)})`,
  );
});
