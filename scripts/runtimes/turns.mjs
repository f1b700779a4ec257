// Emulator script: a tool call with single-quoted (repairable) arguments, then the answer.
export default function turns(request) {
  const messages = request.body?.messages ?? [];
  if (messages.at(-1)?.role === 'tool') return { content: 'The sum is 5.' };
  return { toolCalls: [{ name: 'add', arguments: "{'a': 2, 'b': 3}" }] };
}
