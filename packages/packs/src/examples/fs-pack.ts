import { Agent } from '@plumb/agent';
import { fsPack } from '@plumb/packs/fs';

// Read-only (the default): list_directory, read_file, search_files.
export const readOnly = fsPack({ root: './docs' });

// Read-write: also write_file and edit_file, with tighter limits and a prefix.
export const workspace = fsPack({
  root: './workspace',
  allowWrite: true,
  maxReadBytes: 64 * 1024, // read_file pages through longer files with `offset`
  maxWriteBytes: 256 * 1024, // larger writes and edits are refused
  ignore: ['.git', 'node_modules', 'dist'], // not entered by recursive listing and search
  prefix: 'workspace', // workspace_read_file, workspace_write_file, ...
});

// write_file and edit_file ask a person first by default (the run pauses with finishReason
// 'interrupted'); reads run at once. needsApproval: true asks before reads as well.
export const supervised = fsPack({ root: './repo', allowWrite: true, needsApproval: true });

// An unattended sandbox: writes run without asking.
export const sandbox = fsPack({ root: './sandbox', allowWrite: true, approveWrites: false });

export const agent = new Agent({ tools: [readOnly, workspace] });

// The read runs at once; the write into the workspace pauses the run until it is approved.
let result = await agent.run('Summarise intro.md from the docs into summary.md in the workspace.');
while (result.finishReason === 'interrupted' && result.state) {
  for (const call of result.interruptions) {
    console.log(`approving ${call.name} ${call.rawArguments}`); // a real program asks a person here
    result.state.approve(call.id);
  }
  result = await agent.run(result.state);
}
console.log(result.text);
