import { Agent } from '@plumb/agent';
import { fsPack } from '@plumb/packs/fs';
import { mathPack } from '@plumb/packs/math';
import { timePack } from '@plumb/packs/time';

const agent = new Agent({
  instructions: 'Answer questions about the project files. Use the tools for arithmetic and dates.',
  tools: [
    fsPack({ root: './my-project' }), // read-only: list_directory, read_file, search_files
    mathPack(), // calculate
    timePack({ timeZone: 'Europe/Paris' }), // time_now, time_convert, time_format, time_add, time_difference
  ],
});

const result = await agent.run('How many TODO comments are in src/, and how many days until 2027-01-01?');
console.log(result.text);
