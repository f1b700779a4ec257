/**
 * plumb tools as an MCP server: any MCP client (Claude Desktop, Cursor, another agent) can call
 * them. Here the server listens on loopback over Streamable HTTP, and a plumb agent connects to
 * it with connectMcp, as a remote client would.
 *   pnpm example mcp-server
 */
import { Agent } from '@plumb/agent';
import { connectMcp, createMcpServer } from '@plumb/mcp';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    script: [
      { toolCalls: [{ name: 'weather_get_weather', arguments: { city: 'Oslo' } }] },
      { content: 'It is 9 °C and windy in Oslo.' },
    ],
  });

  // #region server
  const server = createMcpServer({ name: 'weather', tools: [getWeather] }); // tools, packs or agents
  const endpoint = await server.listen({
    port: 0, // a free port, on 127.0.0.1
    authorize: (request) => request.headers.authorization === 'Bearer team-token',
  });
  console.log(`MCP server at ${endpoint.url}`);
  // For Claude Desktop or Cursor, serve over stdio instead: await server.connectStdio();
  // #endregion

  try {
    // #region client
    const weather = await connectMcp({
      name: 'weather',
      url: endpoint.url,
      headers: { authorization: 'Bearer team-token' }, // sent with every request, never logged
    });
    const agent = new Agent({ client, tools: [weather] });
    const result = await agent.run('How is the weather in Oslo?');
    for (const call of result.steps.flatMap((step) => step.toolCalls)) {
      console.log(`${call.name} ${call.rawArguments} -> ${call.content}`);
    }
    console.log(result.text);
    await weather.close();
    // #endregion
  } finally {
    await endpoint.close();
  }
});
