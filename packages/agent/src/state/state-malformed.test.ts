import { describe, expect, it } from 'vitest';
import { approvalAgent } from '../__fixtures__/approval-agent.js';
import { RunState, RunStateError } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

const CALLS = [
  { name: 'list_files', arguments: {}, id: 'call_00_list' },
  { name: 'delete_file', arguments: { path: 'a.tmp' }, id: 'call_01_delete' },
];

// Every malformed part is a RunStateError naming its path, never a raw TypeError and never
// accepted. [what is changed, the change, the path the error must name]
const CASES: Array<[string, (data: any) => void, string]> = [
  ['a null tool call', (data) => (data.turn.tool_calls = [null]), 'turn.tool_calls[0]'],
  ['a number as a message', (data) => (data.messages = [42]), 'messages[0]'],
  ['an empty usage', (data) => (data.usage = {}), 'usage.prompt_tokens'],
  ['decisions as an array', (data) => (data.decisions = []), 'decisions'],
  ['a missing history', (data) => delete data.messages, 'messages'],
  ['a string for steps', (data) => (data.steps = 'x'), 'steps'],
  ['no steps', (data) => (data.steps = []), 'steps'],
  ['a step without tool calls', (data) => delete data.steps[0].toolCalls, 'steps[0].toolCalls'],
  ['a record id that is a number', (data) => (data.steps[0].toolCalls[1].id = 7), 'steps[0].toolCalls[1].id'],
  [
    'an unknown call status',
    (data) => (data.steps[0].toolCalls[1].status = 'approved'),
    'steps[0].toolCalls[1].status',
  ],
  [
    'a non-string rawArguments',
    (data) => (data.steps[0].toolCalls[0].rawArguments = {}),
    'steps[0].toolCalls[0].rawArguments',
  ],
  ['a negative token count', (data) => (data.usage.total_tokens = -1), 'usage.total_tokens'],
  ['a cost of the wrong shape', (data) => (data.cost = { total: 'free' }), 'cost'],
  ['an unknown role', (data) => (data.messages[0].role = 'developer'), 'messages[0]'],
  ['a turn that is not an assistant message', (data) => (data.turn.role = 'user'), 'turn.role'],
  [
    'a tool call of another type',
    (data) => (data.turn.tool_calls[0].type = 'code'),
    'turn.tool_calls[0].type',
  ],
  ['a string step index', (data) => (data.steps[0].index = '0'), 'steps[0].index'],
  ['a wrong step index', (data) => (data.steps[0].index = 3), 'steps[0].index'],
  ['counters as strings', (data) => (data.consecutiveToolErrors = '0'), 'consecutiveToolErrors'],
  ['no pending call', (data) => (data.steps[0].toolCalls[1].status = 'ok'), 'steps[0].toolCalls'],
  ['a missing run id', (data) => delete data.runId, 'runId'],
  ['an unknown field', (data) => (data.extra = true), '(root)'],
  ['a message name that is not a string', (data) => (data.messages[1].name = 5), 'messages[1].name'],
  ['tool pins that are not strings', (data) => (data.toolPins = { mcp: 1 }), 'toolPins.mcp'],
  [
    'a history with an unanswered call',
    (data) =>
      data.messages.push({
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'x', type: 'function', function: { name: 'a', arguments: '{}' } }],
      }),
    'messages',
  ],
];

describe('RunState.fromJSON refuses malformed states with the path of the field', () => {
  it.each(CASES)('%s', async (_what, change, path) => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }] });
    const paused = await approvalAgent(clientFor(emulator)).run('Clean up');
    const data = JSON.parse(JSON.stringify(paused.state));
    change(data);
    let error: unknown;
    try {
      RunState.fromJSON(JSON.stringify(data));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RunStateError);
    expect((error as Error).message).toContain(`\`${path}`);
  });

  it.each([['null'], ['42'], ['"text"'], ['[]']])('refuses %s as a whole state', (json) => {
    expect(() => RunState.fromJSON(json)).toThrow(RunStateError);
  });
});
