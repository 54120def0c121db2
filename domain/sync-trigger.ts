/** Why a sync runs: on the schedule, asked for by a person, the first import, or to fill a gap after renewal. */
export type SyncTrigger = 'scheduled' | 'manual' | 'initial' | 'backfill';
