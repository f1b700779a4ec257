/**
 * The weather tool and agent several examples share (and the test in weather-agent.test.ts
 * checks). The weather itself is made up, so the examples need no weather API key.
 */
import { Agent } from '@plumb/agent';
import type { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const STATIONS: Record<string, { celsius: number; conditions: string; latencyMs: number }> = {
  paris: { celsius: 18, conditions: 'light rain', latencyMs: 150 },
  lisbon: { celsius: 24, conditions: 'sunny', latencyMs: 300 },
  tokyo: { celsius: 21, conditions: 'cloudy', latencyMs: 200 },
  oslo: { celsius: 9, conditions: 'windy', latencyMs: 100 },
};

/** Pretends to call a weather service: a short wait, then a reading from a fixed table. */
export async function lookUpWeather(city: string, signal: AbortSignal) {
  const station = STATIONS[city.trim().toLowerCase()];
  await new Promise((resolve) => setTimeout(resolve, station?.latencyMs ?? 100));
  signal.throwIfAborted();
  if (station === undefined) throw new Error(`No weather station for "${city}". Try a larger city nearby.`);
  return { city, celsius: station.celsius, conditions: station.conditions };
}

// #region tool
export const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city: temperature in °C and conditions.',
  parameters: z.object({
    city: z.string().describe('City name, e.g. "Paris"'),
  }),
  execute: async ({ city }, { signal }) => lookUpWeather(city, signal),
});
// #endregion

// #region agent
export function createWeatherAgent(client: DeepSeek) {
  return new Agent({
    client,
    model: 'deepseek-flash',
    instructions: 'You answer questions about the weather. Use get_weather; never guess temperatures.',
    tools: [getWeather],
  });
}
// #endregion
