import { timePack } from '@plumb/packs/time';

// The model's "now" and its default zone. The clock is injectable, e.g. for tests.
export const time = timePack({ timeZone: 'America/New_York', locale: 'en-US' });

export const frozen = timePack({ now: () => new Date('2025-03-09T18:30:00Z'), timeZone: 'UTC' });
