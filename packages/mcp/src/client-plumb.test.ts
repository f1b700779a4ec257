import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectMcp, createMcpServer, McpConfigError, McpToolSetError } from './index.js';
import { onCleanup, waitFor } from './test-helpers.js';

// connectMcp against plumb's own MCP server (the SDK's server), where the test controls the
// server's side: its tools, its sessions, what it requires of requests.

const echo = tool({
  name: 'echo',
  description: 'Echoes a message',
  parameters: z.object({ message: z.string() }),
  execute: ({ message }) => message,
});

const tagged = tool({
  name: 'tag',
  description: 'Tags with free-form labels',
  parameters: z.object({ labels: z.record(z.string(), z.string()) }),
  execute: ({ labels }) => Object.keys(labels).length,
});

async function listen(
  server: ReturnType<typeof createMcpServer>,
  authorize?: Parameters<ReturnType<typeof createMcpServer>['listen']>[0],
) {
  const endpoint = await server.listen(authorize);
  onCleanup(() => endpoint.close());
  return endpoint;
}

async function connect(options: Parameters<typeof connectMcp>[0]) {
  const connection = await connectMcp(options);
  onCleanup(() => connection.close());
  return connection;
}

function invoke(connection: Awaited<ReturnType<typeof connect>>, name: string, args: unknown) {
  const found = connection.tools.find((entry) => entry.name === name);
  if (found === undefined)
    throw new Error(`no tool ${name} in ${connection.tools.map((entry) => entry.name)}`);
  return found.invoke({ id: 'call_00_p', function: { arguments: JSON.stringify(args) } });
}

describe('connectMcp against plumb’s MCP server', () => {
  it('strict: true reports each schema outside DeepSeek strict mode and names exclude', async () => {
    const { url } = await listen(createMcpServer({ name: 'p', tools: [echo, tagged] }));
    const error = await connectMcp({ name: 'p', url, strict: true }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(McpToolSetError);
    expect((error as McpToolSetError).problems.map((problem) => problem.tool)).toEqual(['tag']);
    expect((error as Error).message).toMatch(
      /strict mode is all-or-nothing per request, and 1 of the 2 tools/,
    );
    expect((error as Error).message).toMatch(/exclude: \["tag"\]/);
    const strict = await connect({ name: 'p', url, strict: true, exclude: ['tag'] });
    expect(strict.tools.map((entry) => [entry.name, entry.definition.function.strict])).toEqual([
      ['p_echo', true],
    ]);
  });

  it('more than 128 tools is an error that names the include option', async () => {
    const many = Array.from({ length: 130 }, (_, index) =>
      tool({ name: `t${index}`, description: 'x', parameters: z.object({}), execute: () => index }),
    );
    const { url } = await listen(createMcpServer({ name: 'big', tools: many }));
    await expect(connectMcp({ name: 'big', url })).rejects.toThrow(
      /offers 130 tools; DeepSeek accepts at most 128.*`include`/,
    );
    const some = await connect({ name: 'big', url, include: [/^t1\d$/] });
    expect(some.tools).toHaveLength(10);
  });

  it('sends the configured headers and the OAuth provider’s token on every request', async () => {
    const seen: Array<{ authorization: string | undefined; team: string | undefined }> = [];
    const { url } = await listen(createMcpServer({ name: 'p', tools: [echo] }), {
      authorize: (request) => {
        seen.push({
          authorization: request.headers.authorization,
          team: request.headers['x-team'] as string,
        });
        return request.headers.authorization === 'Bearer oauth-token-1';
      },
    });
    let tokenReads = 0;
    const authProvider: OAuthClientProvider = {
      get redirectUrl() {
        return 'http://127.0.0.1/callback';
      },
      get clientMetadata() {
        return { redirect_uris: ['http://127.0.0.1/callback'] };
      },
      clientInformation: () => ({ client_id: 'plumb-test' }),
      tokens: () => {
        tokenReads++;
        return { access_token: 'oauth-token-1', token_type: 'Bearer' };
      },
      saveTokens: () => {},
      redirectToAuthorization: () => {
        throw new Error('no interactive login in tests');
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => 'verifier',
    };
    const connection = await connect({ name: 'p', url, headers: { 'x-team': 'blue' }, authProvider });
    expect((await invoke(connection, 'p_echo', { message: 'hi' })).content).toBe('hi');
    expect(tokenReads).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(1);
    for (const headers of seen)
      expect(headers).toEqual({ authorization: 'Bearer oauth-token-1', team: 'blue' });
  });

  it('starts a new session when the server expired the old one, and the call succeeds', async () => {
    const server = createMcpServer({ name: 'p', tools: [echo] });
    const { url } = await listen(server);
    const connection = await connect({ name: 'p', url });
    const client = connection.client;
    expect((await invoke(connection, 'p_echo', { message: 'one' })).content).toBe('one');
    await server.closeSessions(); // the server forgets the session: its next request gets 404
    expect((await invoke(connection, 'p_echo', { message: 'two' })).content).toBe('two');
    expect(connection.client).not.toBe(client);
  });

  it('applies tools/list_changed: new tools, a new revision, onToolsChanged', async () => {
    const server = createMcpServer({ name: 'p', tools: [echo] });
    const { url } = await listen(server);
    const changes: string[][] = [];
    const connection = await connect({
      name: 'p',
      url,
      onToolsChanged: (tools) => changes.push(tools.map((entry) => entry.name)),
    });
    const revision = connection.revision;
    await server.setTools([echo, tagged]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connection.settled();
    expect(connection.revision).toBe(revision + 1);
    expect(connection.tools.map((entry) => entry.name)).toEqual(['p_echo', 'p_tag']);
    expect(changes).toEqual([['p_echo', 'p_tag']]);
  });

  it('a timeout sends MCP cancellation: the tool on the server sees its signal aborted', async () => {
    const seen: string[] = [];
    const hang = tool({
      name: 'hang',
      description: 'Never answers',
      parameters: z.object({}),
      execute: (_args, context) =>
        new Promise((resolve) => {
          context.signal.addEventListener('abort', () => {
            seen.push('aborted');
            resolve('late');
          });
        }),
    });
    const { url } = await listen(createMcpServer({ name: 'p', tools: [hang] }));
    const connection = await connect({ name: 'p', url, timeoutMs: 200 });
    const outcome = await invoke(connection, 'p_hang', {});
    expect(outcome.content).toMatch(/timed out after 200 ms and was cancelled/);
    await waitFor(() => seen.length > 0);
    expect(seen).toEqual(['aborted']);

    // Without a timeout of its own, the runner's (the agent's toolTimeoutMs) applies.
    const open = await connect({ name: 'q', url });
    const hangTool = open.tools[0]!;
    expect(hangTool.timeoutMs).toBeUndefined();
    const byAgent = await hangTool.run({}, { callId: 'call_01_q', timeoutMs: 150 });
    expect(byAgent.content).toMatch(/timed out after 150 ms/);
  });

  it('a changed list that cannot be offered keeps the previous tools and goes to onError', async () => {
    const server = createMcpServer({ name: 'p', tools: [echo] });
    const { url } = await listen(server);
    const errors: Error[] = [];
    const connection = await connect({ name: 'p', url, onError: (error) => errors.push(error) });
    const revision = connection.revision;
    const many = Array.from({ length: 129 }, (_, index) =>
      tool({ name: `t${index}`, description: 'x', parameters: z.object({}), execute: () => index }),
    );
    await server.setTools(many);
    await waitFor(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(McpToolSetError);
    expect(errors[0]?.message).toMatch(/offers 129 tools/);
    expect(connection.revision).toBe(revision);
    expect(connection.tools.map((entry) => entry.name)).toEqual(['p_echo']);
  });

  it('rejects invalid options with a McpConfigError naming the option', async () => {
    await expect(connectMcp({ name: 'bad name', command: 'node' })).rejects.toThrow(McpConfigError);
    await expect(
      connectMcp({ name: 'x', command: 'node', url: 'http://127.0.0.1:1/mcp' } as never),
    ).rejects.toThrow(/either `command`.*or `url`/);
    await expect(connectMcp({ name: 'x', url: 'not a url' })).rejects.toThrow(/not a valid URL/);
    await expect(connectMcp({ name: 'x', command: 'node', timeoutMs: -1 })).rejects.toThrow(/`timeoutMs`/);
  });
});
