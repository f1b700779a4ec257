/**
 * DeepSeek V4 sometimes writes its tool-call markup (DSML) into the answer text instead of
 * calling the tool. The agent recovers such calls when they parse completely into known tools
 * with valid arguments, and says so with a `leaked-tool-calls` event.
 *   pnpm example leaked-tool-calls
 */
import { Agent } from '@plumb/agent';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

const DSML = '｜DSML｜';
const leaked = `<${DSML}tool_calls>
<${DSML}invoke name="get_weather">
<${DSML}parameter name="city" string="true">Paris</${DSML}parameter>
</${DSML}invoke>
</${DSML}tool_calls>`;

run(async () => {
  const { client } = await connect({ script: [{ content: leaked }, { content: 'It is 18 °C in Paris.' }] });

  // #region events
  const agent = new Agent({ client, tools: [getWeather] });
  const stream = agent.stream('What is the weather in Paris?');
  for await (const event of stream) {
    if (event.type === 'leaked-tool-calls' && event.action === 'recovered') {
      console.log(`recovered from the text: ${event.calls.map((call) => call.name).join(', ')}`);
    }
    if (event.type === 'leaked-tool-calls' && event.action === 'corrected') {
      console.log(`asked the model to call tools properly: ${event.reason}`);
    }
  }
  const result = await stream.result;
  console.log(result.text);
  // #endregion
});
