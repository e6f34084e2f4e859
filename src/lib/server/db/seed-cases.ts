import type { SeedContext } from './seed-context';

/** Demo case requests, agendas and past decisions. */
export function seedDemoCases(_context: SeedContext): void {}
