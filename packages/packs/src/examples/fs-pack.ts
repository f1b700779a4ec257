import { Agent } from '@plumb/agent';
import { fsPack } from '@plumb/packs/fs';

// Read-only (the default): list_directory, read_file, search_files.
export const readOnly = fsPack({ root: './docs' });

// Read-write: also write_file and edit_file, with tighter limits and a prefix.
export const workspace = fsPack({
  root: '/srv/agent-workspace',
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
export const sandbox = fsPack({ root: '/tmp/agent-sandbox', allowWrite: true, approveWrites: false });

export const agent = new Agent({ tools: [readOnly, workspace] });
