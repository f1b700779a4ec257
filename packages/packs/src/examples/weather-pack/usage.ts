import { Agent } from '@plumb/agent';
// In a user's project: import { weatherPack } from 'plumb-pack-weather';
import { weatherPack } from './index.js';

export const agent = new Agent({
  instructions: 'Answer weather questions with the weather tools.',
  tools: [weatherPack({ apiKey: process.env.WEATHER_API_KEY ?? '' })],
});
