import type { AgentResult } from '@plumb/agent';
import { preview } from './format.js';
import type { CliIo } from './io.js';
import type { LineReader } from './lines.js';

/** How pending calls are decided: asked on stdin, or all approved/rejected by a flag. */
export type ApprovalMode = 'ask' | 'all' | 'none';

/** Decides every pending call of an interrupted result; returns its state, ready to resume. */
export async function decide(result: AgentResult<unknown>, mode: ApprovalMode, io: CliIo, lines: LineReader) {
  const state = result.state;
  if (state === undefined) return undefined;
  for (const call of state.interruptions) {
    let approved = mode === 'all';
    if (mode === 'ask') {
      io.stderr.write(`approve ${call.name}(${preview(call.args, 200)})? [y/N] `);
      const answer = (await lines.next())?.trim().toLowerCase();
      approved = answer === 'y' || answer === 'yes';
    }
    if (approved) state.approve(call.id);
    else state.reject(call.id, { reason: 'The user did not approve this call.' });
    io.stderr.write(`${approved ? 'approved' : 'rejected'} ${call.name} (${call.id})\n`);
  }
  return state;
}
