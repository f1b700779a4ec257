/**
 * Records every agent run of the process when PLUMB_RECORD is set, with no change to the program:
 *
 *   PLUMB_RECORD=1 node --import @plumb/recorder/register app.js         # .plumb/runs.db
 *   PLUMB_RECORD=runs.jsonl node --import @plumb/recorder/register app.js
 *
 * Importing it with PLUMB_RECORD unset (or 0/false/off) does nothing.
 */
import { registerFromEnv } from './register-env.js';

registerFromEnv(process.env);
