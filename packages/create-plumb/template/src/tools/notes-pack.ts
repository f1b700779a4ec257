// A custom tool pack: tools that share one piece of state (a notes store opened once by `setup`),
// with prefixed names (notes_add, notes_search) so they never clash with other tools.
import { toolPack } from '@plumb/tools';
import { z } from 'zod';

/** Stands in for your database client: opened once, shared by every tool of the pack. */
export class NotesStore {
  readonly notes: Array<{ id: number; text: string }> = [];
  add(text: string) {
    const note = { id: this.notes.length + 1, text };
    this.notes.push(note);
    return note;
  }
  search(query: string) {
    return this.notes.filter((note) => note.text.toLowerCase().includes(query.toLowerCase()));
  }
}

export function notesPack(store = new NotesStore()) {
  return toolPack({
    name: 'notes',
    description: 'Save and search short notes.',
    prefix: true,
    setup: () => ({ store }),
    tools: (tool) => [
      tool({
        name: 'add',
        description: 'Saves a note.',
        parameters: z.object({ text: z.string() }),
        execute: ({ text }, { pack }) => pack.store.add(text),
      }),
      tool({
        name: 'search',
        description: 'Finds notes containing the query.',
        parameters: z.object({ query: z.string() }),
        execute: ({ query }, { pack }) => pack.store.search(query),
      }),
    ],
  });
}
