import { type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod';

/** Options of {@link weatherPack}. */
export interface WeatherPackOptions {
  /** The weather service's key. Stays in your program: the model never sees it. */
  apiKey: string;
  /** Where the service lives. @default 'https://weather.example.com' */
  baseURL?: string | undefined;
  /** Prefix tool names (`weather_current`) to avoid collisions. @default true */
  prefix?: boolean | string | undefined;
}

interface Current {
  city: string;
  celsius: number;
  conditions: string;
}

/** Current weather and forecasts, as a tool pack. */
export function weatherPack(options: WeatherPackOptions): ToolPack {
  if (!options.apiKey) throw new Error('weatherPack: apiKey is required.');
  const baseURL = options.baseURL ?? 'https://weather.example.com';

  // Shared by every tool of the pack, passing the call's signal so an aborted run stops the request.
  async function get<T>(path: string, signal: AbortSignal): Promise<T> {
    const response = await fetch(`${baseURL}${path}`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
      signal,
    });
    // Thrown errors become the tool result, so write messages the model can act on.
    if (response.status === 404)
      throw new Error('Unknown city. Check the spelling or try a nearby larger city.');
    if (!response.ok) throw new Error(`The weather service answered ${response.status}. Try again later.`);
    return (await response.json()) as T;
  }

  return toolPack({
    name: 'weather',
    description: 'Current weather and forecasts',
    prefix: options.prefix ?? true,
    timeoutMs: 10_000,
    tools: [
      tool({
        name: 'current',
        description: 'Current temperature (°C) and conditions in a city.',
        parameters: z.object({ city: z.string().min(1).describe('City name, e.g. "Paris".') }),
        execute: ({ city }, { signal }) => get<Current>(`/current?city=${encodeURIComponent(city)}`, signal),
      }),
      tool({
        name: 'forecast',
        description: 'Daily forecast for the next 1 to 7 days.',
        parameters: z.object({
          city: z.string().min(1),
          days: z.number().int().min(1).max(7).default(3),
        }),
        execute: ({ city, days }, { signal }) =>
          get<Current[]>(`/forecast?city=${encodeURIComponent(city)}&days=${days}`, signal),
      }),
    ],
  });
}
