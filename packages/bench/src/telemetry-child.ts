/**
 * The telemetry scenario's CPU-time child (started by scenarios/telemetry.ts, plumb from its built
 * `dist/`, --expose-gc): the 100-step streaming tool loop against the bench emulator (its own
 * process), run by the same agent with telemetry off and on, back to back in each round (order
 * rotating), with a control: a second plain agent, whose ratio to the first is the noise floor. Each run's CPU time of this process (user + system) is recorded next to its wall
 * time. The emulator's work is not in this process, and tracing adds no waiting (the exporter does
 * no I/O), so the CPU time tracing adds here is all it adds to a step; unlike wall time, CPU time
 * does not count the time other processes of a shared machine held the cores.
 *
 * Prints one JSON line (TelemetryReport) on stdout.
 */
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { type LoopSpec, loopAnswer, loopPrompt } from './bench-script.js';
import { noopExportTracer } from './frameworks/noop-tracer.js';
import { runStep, runWait, STEP_DESCRIPTION, WAIT_DESCRIPTION } from './tools.js';

export interface TelemetryConfig {
  url: string;
  apiKey: string;
  steps: number;
  rounds: number;
  warmups: number;
}

/**
 * Per measured round: ms per step of the plain run, the traced run, and a control run (a second
 * plain agent, same config): the control's ratio to the plain run is the noise floor of the
 * measurement on this machine, what a ratio shows when nothing differs.
 */
export interface TelemetryReport {
  plainCpu: number[];
  tracedCpu: number[];
  controlCpu: number[];
  plainWall: number[];
  tracedWall: number[];
  controlWall: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('telemetry-child needs --expose-gc');

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as TelemetryConfig;
  const client = new DeepSeek({ apiKey: config.apiKey, baseURL: config.url });
  const tools = [
    tool({
      name: 'step',
      description: STEP_DESCRIPTION,
      parameters: z.object({ n: z.number().int() }),
      execute: async (args) => runStep(args),
    }),
    // The tool loop's second tool (frameworks/plumb.ts): the same request bodies as that scenario.
    tool({
      name: 'wait',
      description: WAIT_DESCRIPTION,
      parameters: z.object({ ms: z.number().int() }),
      execute: (args) => runWait(args),
    }),
  ];
  const plain = new Agent({ client, model: 'deepseek-flash', tools, thinking: false });
  const control = new Agent({ client, model: 'deepseek-flash', tools, thinking: false });
  const traced = new Agent({
    client,
    model: 'deepseek-flash',
    tools,
    thinking: false,
    telemetry: { tracer: noopExportTracer(), metrics: false },
  });
  const spec: LoopSpec = { steps: config.steps, calls: 1, tool: 'step', ms: 0 };
  const expected = loopAnswer(spec);
  const measure = async (agent: Agent) => {
    gc!();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await agent.run(loopPrompt(spec), { maxSteps: spec.steps + 1 });
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
    plainWall: [],
    tracedWall: [],
    controlWall: [],
  };
  const agents = [plain, traced, control];
  for (let round = 0; round < config.warmups + config.rounds; round++) {
    // Rotate who goes first, so none always runs on another's garbage or warm caches.
    const results = new Map<Agent, { cpu: number; wall: number }>();
    for (let i = 0; i < agents.length; i++) {
      const agent = agents[(round + i) % agents.length]!;
      results.set(agent, await measure(agent));
    }
    if (round < config.warmups) continue;
    const [p, t, c] = [results.get(plain)!, results.get(traced)!, results.get(control)!];
    report.plainCpu.push(p.cpu);
    report.tracedCpu.push(t.cpu);
    report.controlCpu.push(c.cpu);
    report.plainWall.push(p.wall);
    report.tracedWall.push(t.wall);
    report.controlWall.push(c.wall);
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
