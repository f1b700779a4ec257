// Connects to a stdio MCP server, prints the child's pid, then exits without closing the
// connection: the child must not outlive this process.
import { connectMcp } from '../index.js';

const connection = await connectMcp({
  name: 'orphan',
  command: process.execPath,
  args: process.argv.slice(2),
  stderr: 'ignore',
});
console.log(String(connection.pid));
process.exit(0);
