import type { SeedContext } from './seed-context';

/** Demo invitations of the pathways' members to their series. */
export function seedDemoInvitations(_context: SeedContext): void {}
