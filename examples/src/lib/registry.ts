/** Every runnable example: `pnpm example <name>` runs `src/<file>`. */
export interface ExampleEntry {
  /** What to type after `pnpm example`. */
  name: string;
  /** The script, relative to examples/src. */
  file: string;
  /** One line for the list. */
  description: string;
}

export const EXAMPLES: readonly ExampleEntry[] = [
  {
    name: 'demo',
    file: 'demo.ts',
    description: 'The flagship: a tool agent streaming its steps, with usage, cost and cache hits',
  },
  { name: 'quickstart', file: 'quickstart.ts', description: 'One tool, one agent, one question' },
  { name: 'chat', file: 'chat.ts', description: 'One chat completion and its token usage' },
  {
    name: 'stream',
    file: 'stream.ts',
    description: 'Streaming in thinking mode, reasoning shown apart from the answer',
  },
  {
    name: 'weather-agent',
    file: 'weather-agent.ts',
    description: 'A tool agent: the model calls get_weather, then answers',
  },
  {
    name: 'parallel-tools',
    file: 'parallel-tools.ts',
    description: 'Several tool calls in one turn, run at the same time',
  },
  {
    name: 'thinking-tools',
    file: 'thinking-tools.ts',
    description: 'Thinking mode with tools over several steps; reasoning_content replayed',
  },
  {
    name: 'structured-output',
    file: 'structured-output.ts',
    description: 'A final answer validated by a zod schema (re-asked when invalid)',
  },
  {
    name: 'fim',
    file: 'fim.ts',
    description: 'FIM code completion: fill the gap between a prefix and a suffix',
  },
  {
    name: 'prefix-completion',
    file: 'prefix-completion.ts',
    description: 'Chat prefix completion: the model continues a given start',
  },
  {
    name: 'custom-pack',
    file: 'custom-pack.ts',
    description: 'A custom tool pack with shared state and prefixed names',
  },
  {
    name: 'approval',
    file: 'approval.ts',
    description: 'Human approval: pause, save the state to a file, load it, approve, resume',
  },
  {
    name: 'session-chat',
    file: 'session-chat.ts',
    description: 'A chat that survives a restart: it goes on in a new process, the conversation in SQLite',
  },
  {
    name: 'durable-workers',
    file: 'durable-workers.ts',
    description:
      'Two durable workers on Postgres: one is killed mid-run, the other finishes; an approval from any process',
  },
  {
    name: 'long-run',
    file: 'long-run.ts',
    description: 'A 60-step tool run kept inside a 24K window by compaction, with its reports',
  },
  {
    name: 'loop-control',
    file: 'loop-control.ts',
    description: 'stopWhen, prepareStep, dynamic instructions, activeTools and an onToolCall cache',
  },
  {
    name: 'mcp',
    file: 'mcp.ts',
    description: 'A real MCP server (filesystem, on a temp folder) as the agent’s tools',
  },
  {
    name: 'mcp-server',
    file: 'mcp-server.ts',
    description: 'plumb tools served over MCP (Streamable HTTP), used by an MCP client',
  },
  {
    name: 'agent-as-tool',
    file: 'agent-as-tool.ts',
    description: 'An agent used as a tool by another agent',
  },
  { name: 'chat-repl', file: 'chat-repl.ts', description: 'Multi-turn chat in the terminal (or from stdin)' },
  {
    name: 'cost-report',
    file: 'cost-report.ts',
    description: 'Tokens, cache hits and cost (USD and CNY) per step of a run',
  },
  { name: 'errors', file: 'errors.ts', description: 'Retries, typed API errors and pre-flight checks' },
  {
    name: 'images',
    file: 'images.ts',
    description: 'Images: upload with the Files API, ask deepseek-flash, a tool returning a screenshot',
  },
  {
    name: 'leaked-tool-calls',
    file: 'leaked-tool-calls.ts',
    description: 'Tool-call markup written into the answer text, recovered as real calls',
  },
  {
    name: 'recording',
    file: 'recording.ts',
    description: 'Every event of a run recorded to a local SQLite file, then read back',
  },
  {
    name: 'model-middleware',
    file: 'model-middleware.ts',
    description: 'Model middleware around the DeepSeek model: a log per turn, a cache, a request cap',
  },
  {
    name: 'tracing',
    file: 'tracing.ts',
    description: 'OpenTelemetry spans of a run (agent, model calls, tools, a sub-agent) printed as a tree',
  },
  { name: 'account', file: 'account.ts', description: 'The models your key can use and your balance' },
  {
    name: 'openai-compat',
    file: 'openai-compat.ts',
    description: 'The weather loop written by hand with the openai SDK, for comparison',
  },
];
