/** Templates that ship with Gatehouse and are seeded on first run. */
import type { Template } from '../template';
import { opsIntegratedDelivery } from './ops-integrated-delivery';

export { opsIntegratedDelivery };

/** Every built-in template, seeded on first run. */
export const BUILTIN_TEMPLATES: readonly Template[] = [opsIntegratedDelivery];
