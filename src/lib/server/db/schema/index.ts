import { isPostgresUrl } from '../../config';
import * as pg from '../schema-pg/index';
import * as lite from './sqlite';

// The tables of the engine this process runs on (DATABASE_URL), typed as the SQLite ones: both
// schemas have the same row types (schema-lockstep.test.ts), and the query builder's dialect comes
// from the database handle, so one data-access layer serves both engines.
export * from './sqlite';

/** The engine whose tables this process loaded (fixed at first import, from DATABASE_URL). */
export const schemaEngine: 'sqlite' | 'postgres' = isPostgresUrl() ? 'postgres' : 'sqlite';

const tables = (schemaEngine === 'postgres' ? pg : lite) as unknown as typeof lite;

export const attendance = tables.attendance;
export const auditEvents = tables.auditEvents;
export const caseEvents = tables.caseEvents;
export const caseReminders = tables.caseReminders;
export const cases = tables.cases;
export const decisions = tables.decisions;
export const documents = tables.documents;
export const establishments = tables.establishments;
export const invitationReminders = tables.invitationReminders;
export const invitations = tables.invitations;
export const loginThrottleCounters = tables.loginThrottleCounters;
export const mailMessages = tables.mailMessages;
export const meetingSeries = tables.meetingSeries;
export const meetings = tables.meetings;
export const memberships = tables.memberships;
export const outbox = tables.outbox;
export const pathwayEstablishments = tables.pathwayEstablishments;
export const pathways = tables.pathways;
export const patients = tables.patients;
export const raisedHands = tables.raisedHands;
export const sessions = tables.sessions;
export const formSubmissions = tables.formSubmissions;
export const settings = tables.settings;
export const specialtyTable = tables.specialtyTable;
export const users = tables.users;
export const webhookEvents = tables.webhookEvents;
export const writtenOpinions = tables.writtenOpinions;
