import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { deepseekWebPack } from '@plumb/packs/deepseek-web';

const client = new DeepSeek(); // DEEPSEEK_API_KEY pays for the model and for each search and fetch

const agent = new Agent({
  client,
  instructions: 'Search the web to answer; cite the URLs you used.',
  tools: [deepseekWebPack({ client, defaultCount: 5, maxCount: 10 })], // web_search, web_fetch
});

const result = await agent.run('What changed in the latest DeepSeek API release? site:api-docs.deepseek.com');
console.log(result.text);
