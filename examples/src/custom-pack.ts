/**
 * A custom tool pack: tools that share one piece of state (here a notes store opened once by
 * `setup`), with prefixed names so they cannot clash with other tools.
 *   pnpm example custom-pack
 */
import { Agent } from '@plumb/agent';
import { toolPack } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

/** Stands in for a database client: opened once, shared by every tool of the pack. */
class NotesStore {
  readonly #notes: Array<{ id: number; text: string; tags: string[] }> = [];
  add(text: string, tags: string[]) {
    const note = { id: this.#notes.length + 1, text, tags };
    this.#notes.push(note);
    return note;
  }
  search(query: string) {
    const needle = query.toLowerCase();
    return this.#notes.filter(
      (note) => note.text.toLowerCase().includes(needle) || note.tags.includes(needle),
    );
  }
}

// #region pack
const notesPack = toolPack({
  name: 'notes',
  description: 'Save and search short notes.',
  prefix: true, // the model sees notes_add and notes_search
  setup: async () => {
    console.log('(notes store opened)'); // runs once, before the first call of any notes tool
    return { store: new NotesStore() };
  },
  tools: (tool) => [
    tool({
      name: 'add',
      description: 'Saves a note.',
      parameters: z.object({ text: z.string(), tags: z.array(z.string()).default([]) }),
      execute: ({ text, tags }, { pack }) => pack.store.add(text, tags),
    }),
    tool({
      name: 'search',
      description: 'Finds notes whose text or tags contain the query.',
      parameters: z.object({ query: z.string() }),
      execute: ({ query }, { pack }) => pack.store.search(query),
    }),
  ],
});
// #endregion

run(async () => {
  const { client } = await connect({
    script: [
      {
        toolCalls: [
          { name: 'notes_add', arguments: { text: 'Buy oat milk', tags: ['shopping'] } },
          { name: 'notes_add', arguments: { text: 'Call the plumber on Monday', tags: ['home'] } },
        ],
      },
      { toolCalls: [{ name: 'notes_search', arguments: { query: 'shopping' } }] },
      { content: 'Saved both notes. Your shopping note: "Buy oat milk".' },
    ],
  });

  // #region use
  const agent = new Agent({ client, instructions: 'You keep the user’s notes.', tools: [notesPack] });
  console.log(`tools: ${agent.tools.map((tool) => tool.name).join(', ')}`);

  const result = await agent.run(
    'Note "Buy oat milk" (tag: shopping) and "Call the plumber on Monday" (tag: home), then show my shopping notes.',
  );
  for (const call of result.steps.flatMap((step) => step.toolCalls)) {
    console.log(`${call.name} ${call.rawArguments} -> ${call.content}`);
  }
  console.log(result.text);
  // #endregion
});
