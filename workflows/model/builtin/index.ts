/** Templates that ship with Gatehouse and are seeded on first run. */
import type { Template } from '../template';
import { opsIntegratedDelivery } from './ops-integrated-delivery';
import { opsIntegratedDeliveryPractice } from './practice';

export { opsIntegratedDelivery, opsIntegratedDeliveryPractice };
export {
  PRACTICE_KEY,
  PRACTICE_SECONDS_PER_WEEK,
  practiceTemplate,
  scaleDuration,
} from './practice';

/** Every built-in template, seeded on first run. */
export const BUILTIN_TEMPLATES: readonly Template[] = [
  opsIntegratedDelivery,
  opsIntegratedDeliveryPractice,
];
