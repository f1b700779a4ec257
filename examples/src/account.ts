/**
 * The models your key can use and your balance.
 *   pnpm example account
 */
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({ script: [] });

  // #region account
  const models = await client.models.list();
  for (const model of models.data) {
    const context = model.context_window
      ? `, ${model.context_window.toLocaleString('en-US')} tokens of context`
      : '';
    console.log(`model ${model.id}${context}`);
  }

  const balance = await client.user.balance();
  for (const info of balance.balance_infos) {
    console.log(`balance: ${info.total_balance} ${info.currency} (granted ${info.granted_balance})`);
  }
  console.log(balance.is_available ? 'the balance covers API calls' : 'top up to keep calling the API');
  // #endregion
});
