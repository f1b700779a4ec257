/**
 * Resumes an interrupted run in a fresh process (spawned by approvals.test.ts):
 *   node --import tsx --conditions=@plumb/source resume-worker.ts <emulatorUrl> <stateFile> <callIdToReject>
 * The state file is signed (toSignedJSON) with the secret in STATE_SECRET.
 * Prints the resumed result (finish reason, text, deleted files, history roles) as JSON on stdout.
 */
import { readFile } from 'node:fs/promises';
import { DeepSeek } from '@plumb/core';
import { RunState } from '../index.js';
import { approvalAgent } from './approval-agent.js';

const [url, stateFile, rejectId] = process.argv.slice(2);
if (url === undefined || stateFile === undefined || rejectId === undefined) {
  throw new Error('usage: resume-worker.ts <emulatorUrl> <stateFile> <callIdToReject>');
}
const deleted: string[] = [];
const agent = approvalAgent(new DeepSeek({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }), deleted);
const secret = process.env.STATE_SECRET;
if (secret === undefined) throw new Error('resume-worker.ts needs STATE_SECRET (the state is signed)');
const state = await RunState.fromSignedJSON(await readFile(stateFile, 'utf8'), { secret });
state.reject(rejectId, { reason: 'system files are protected' });
const result = await agent.run(state);
process.stdout.write(
  JSON.stringify({
    finishReason: result.finishReason,
    text: result.text,
    deleted,
    roles: result.messages.map((message) => message.role),
    statuses: result.steps.flatMap((step) => step.toolCalls.map((call) => call.status)),
    steps: result.steps.length,
  }),
);
