import { Agent } from '@plumb/agent';
import { sqliteSessionStore } from '@plumb/sessions';

const store = await sqliteSessionStore({ path: 'data/sessions.db' });
const agent = new Agent({ instructions: 'Keep answers short.' });
await agent.run('Hi, my name is Ada.', { session: { store, id: 'chat-ada', userId: 'ada' } });
// ...later, in another process:
const { text } = await agent.run('What is my name?', { session: { store, id: 'chat-ada', userId: 'ada' } });
console.log(text);
