/**
 * The telemetry scenario's CPU-time child (started by scenarios/telemetry.ts, plumb from its built
 * `dist/`, --expose-gc): the 100-step streaming tool loop against the bench emulator (its own
 * process), run by the same agent with telemetry off and on, back to back in each round (order
 * rotating), with a control: a second plain agent, whose ratio to the first is the noise floor.
 * Two more runs per round split the cost (telemetry-tracers.ts): telemetry on with a stub tracer
 * whose spans record nothing (plumb's own work), and a plain run around which a trivial wrapper
 * makes exactly the SDK calls a traced run makes (the SDK's own cost, the floor plumb cannot go
 * under). Each run's CPU time of this process (user + system) is recorded next to its wall
 * time. The emulator's work is not in this process, and tracing adds no waiting (the exporter does
 * no I/O), so the CPU time tracing adds here is all it adds to a step; unlike wall time, CPU time
 * does not count the time other processes of a shared machine held the cores.
 *
 * Prints one JSON line (TelemetryReport) on stdout.
 */
import type { Tracer } from '@opentelemetry/api';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { type LoopSpec, loopAnswer, loopPrompt } from './bench-script.js';
import { noopExportTracer } from './frameworks/noop-tracer.js';
import { collectGarbage } from './measure.js';
import { type RecordedSpan, recordCalls, SdkReplay, stubTracer } from './telemetry-tracers.js';
import { runStep, runWait, STEP_DESCRIPTION, WAIT_DESCRIPTION } from './tools.js';

export interface TelemetryConfig {
  url: string;
  apiKey: string;
  steps: number;
  rounds: number;
  warmups: number;
  /** Runs only these (telemetry-profile.ts, to profile one kind of run); default: all. */
  kinds?: Kind[] | undefined;
}

/**
 * Per measured round: ms per step of the plain run, the traced run, and a control run (a second
 * plain agent, same config): the control's ratio to the plain run is the noise floor of the
 * measurement on this machine, what a ratio shows when nothing differs. `stub`: telemetry on with
 * spans that record nothing (plumb's own work); `sdk`: a plain run plus the SDK calls of a traced
 * run made by a trivial wrapper (the SDK's own cost).
 */
export interface TelemetryReport {
  plainCpu: number[];
  tracedCpu: number[];
  controlCpu: number[];
  stubCpu: number[];
  sdkCpu: number[];
  plainWall: number[];
  tracedWall: number[];
  controlWall: number[];
  stubWall: number[];
  sdkWall: number[];
  /** Spans of one traced run, and the SDK calls made on them (what `sdk` replays). */
  spans: number;
  spanCalls: number;
}

export type Kind = 'plain' | 'traced' | 'control' | 'stub' | 'sdk';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('telemetry-child needs --expose-gc');

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as TelemetryConfig;
  const client = new DeepSeek({ apiKey: config.apiKey, baseURL: config.url });
  let replay: SdkReplay | undefined;
  const toolsFor = (kind: Kind) => [
    tool({
      name: 'step',
      description: STEP_DESCRIPTION,
      parameters: z.object({ n: z.number().int() }),
      // The SDK-floor agent's wrapper: this step's spans, made here (one step, one call).
      execute:
        kind === 'sdk'
          ? async (args) => {
              replay!.step();
              return runStep(args);
            }
          : async (args) => runStep(args),
    }),
    // The tool loop's second tool (frameworks/plumb.ts): the same request bodies as that scenario.
    tool({
      name: 'wait',
      description: WAIT_DESCRIPTION,
      parameters: z.object({ ms: z.number().int() }),
      execute: (args) => runWait(args),
    }),
  ];
  const agentFor = (kind: Kind, tracer?: Tracer) =>
    new Agent({
      client,
      model: 'deepseek-flash',
      tools: toolsFor(kind),
      thinking: false,
      ...(tracer === undefined ? {} : { telemetry: { tracer, metrics: false } }),
    });
  const agents: Record<Kind, Agent> = {
    plain: agentFor('plain'),
    traced: agentFor('traced', noopExportTracer()),
    control: agentFor('control'),
    stub: agentFor('stub', stubTracer()),
    sdk: agentFor('sdk'),
  };
  const spec: LoopSpec = { steps: config.steps, calls: 1, tool: 'step', ms: 0 };
  const expected = loopAnswer(spec);
  // What the SDK-floor agent replays: the SDK calls of one traced run (same config, its own provider).
  const spans: RecordedSpan[] = [];
  await agentFor('traced', recordCalls(noopExportTracer(), spans)).run(loopPrompt(spec), {
    maxSteps: spec.steps + 1,
  });
  replay = new SdkReplay(noopExportTracer(), spans);
  const measure = async (kind: Kind) => {
    collectGarbage();
    const cpu = process.cpuUsage();
    const start = performance.now();
    if (kind === 'sdk') replay!.begin();
    const result = await agents[kind].run(loopPrompt(spec), { maxSteps: spec.steps + 1 });
    if (kind === 'sdk') replay!.end();
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (result.text !== expected)
      throw new Error(`final answer ${JSON.stringify(result.text)}, expected ${expected}`);
    return { cpu: (used.user + used.system) / 1000 / spec.steps, wall: wall / spec.steps };
  };
  const report: TelemetryReport = {
    plainCpu: [],
    tracedCpu: [],
    controlCpu: [],
    stubCpu: [],
    sdkCpu: [],
    plainWall: [],
    tracedWall: [],
    controlWall: [],
    stubWall: [],
    sdkWall: [],
    spans: spans.length,
    spanCalls: spans.reduce((sum, span) => sum + 1 + span.calls.length, 0),
  };
  const kinds: Kind[] = config.kinds ?? ['plain', 'traced', 'control', 'stub', 'sdk'];
  for (let round = 0; round < config.warmups + config.rounds; round++) {
    // Rotate who goes first, so none always runs on another's garbage or warm caches.
    const results = new Map<Kind, { cpu: number; wall: number }>();
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length]!;
      results.set(kind, await measure(kind));
    }
    if (round < config.warmups) continue;
    for (const [kind, result] of results) {
      report[`${kind}Cpu`].push(result.cpu);
      report[`${kind}Wall`].push(result.wall);
    }
    process.stderr.write(`  round ${round + 1 - config.warmups}/${config.rounds} done\n`);
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `telemetry-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
