import { AgentConfigError } from '../errors.js';
import { describeType } from '../options/option-checks.js';
import type { ToolCallDecision } from '../run/hooks.js';
import type { ToolCallRecord } from '../run/result.js';
import type { RunContext } from '../run/run-context.js';

/**
 * Asks the run's `onToolCall` steering hook about a call that is about to run. Returns true when
 * the hook answered the call itself (`skip` or `reject`): the tool does not run.
 * @throws AgentConfigError for a decision it does not know (the run fails with it as `cause`).
 */
export async function steerCall(
  context: RunContext,
  stepIndex: number,
  record: ToolCallRecord,
  rejectCall: (record: ToolCallRecord, reason: string | undefined) => void,
): Promise<boolean> {
  const steer = context.loop?.onToolCall;
  if (steer === undefined) return false;
  const decision: ToolCallDecision | undefined = await steer({
    runId: context.runId,
    stepIndex,
    id: record.id,
    name: record.name,
    args: record.args,
    data: context.data,
  });
  if (decision === undefined || decision === null) return false;
  const action = (decision as { action?: unknown }).action;
  if (action === 'run') return false;
  if (action === 'skip' && 'result' in decision) {
    const result = decision.result;
    record.result = result;
    // The program's own answer, sent as given (a tool's `maxResultChars` caps what a tool returns).
    record.content = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
    record.steered = 'skip';
    return true;
  }
  if (action === 'reject') {
    const reason = (decision as { reason?: unknown }).reason;
    rejectCall(record, typeof reason === 'string' ? reason : undefined);
    record.steered = 'reject';
    return true;
  }
  throw new AgentConfigError(
    'onToolCall',
    `returned ${describeType(decision)} for call ${JSON.stringify(record.id)} (${record.name}); expected undefined, { action: 'run' }, { action: 'skip', result } or { action: 'reject', reason }.`,
  );
}
