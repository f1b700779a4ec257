/**
 * Structured output: the agent's final answer is JSON validated by a zod schema. DeepSeek has no
 * json_schema response format, so the agent uses JSON mode, puts the schema in the system
 * prompt, validates the answer and re-asks when it does not match.
 *   pnpm example structured-output
 */
import { Agent } from '@plumb/agent';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({
    script: [
      // The first answer misses a field; the agent re-asks with the validation error.
      { content: '{"title":"Dune","author":"Frank Herbert","year":1965}' },
      {
        expect: (request) => {
          if (!request.body.messages.at(-1)?.content.includes('genres')) throw new Error('no re-ask');
        },
        content: '{"title":"Dune","author":"Frank Herbert","year":1965,"genres":["science fiction"]}',
      },
    ],
  });

  // #region output
  const Book = z.object({
    title: z.string(),
    author: z.string(),
    year: z.number().int(),
    genres: z.array(z.string()).min(1),
  });

  const agent = new Agent({
    client,
    instructions: 'You extract book metadata.',
    output: Book,
  });

  const result = await agent.run(
    'Dune was written by Frank Herbert and published in 1965. It is science fiction.',
  );
  const book = result.output; // typed: { title: string; author: string; year: number; genres: string[] } | undefined
  console.log(book);
  for (const step of result.steps) {
    if (step.outputError) console.log(`step ${step.index} was re-asked: ${step.outputError}`);
  }
  // #endregion
});
