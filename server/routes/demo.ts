/**
 * Demo users of the embedded default (`npm start`), listed with their tokens for the designer's
 * sign-in picker. Only `scripts/start.ts` passes them; any other deployment answers 404.
 */
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

export const demoHandlers: Handlers<'demoUsers'> = {
  async demoUsers({ deps }) {
    if (!deps.demoUsers) {
      throw new HttpProblem(404, 'not_found', 'no demo users: this is not the embedded default');
    }
    return { items: deps.demoUsers };
  },
};
