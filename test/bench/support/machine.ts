/**
 * What a benchmark ran on, so figures are never quoted without their machine: CPU, cores,
 * memory, Node, OS, load at the start (a busy machine inflates wall-clock times), and the date.
 */
import { arch, cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly loadAverage: readonly [number, number, number];
  readonly date: string;
}

export function describeMachine(now = new Date()): MachineDescription {
  const processors = cpus();
  const [one, five, fifteen] = loadavg();
  return {
    cpu: processors[0]?.model.trim() || 'unknown CPU',
    cores: processors.length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${type()} ${release()} ${arch()}`,
    loadAverage: [one, five, fifteen],
    date: now.toISOString(),
  };
}

export function machineMarkdown(machine: MachineDescription, freeGiB = freemem() / 1024 ** 3): string {
  return [
    '| Machine | |',
    '| --- | --- |',
    `| CPU | ${machine.cpu} |`,
    `| Cores | ${machine.cores} |`,
    `| RAM | ${machine.memoryGiB.toFixed(1)} GiB (${freeGiB.toFixed(1)} GiB free at start) |`,
    `| Node | ${machine.node} |`,
    `| OS | ${machine.os} |`,
    `| Load average (1/5/15 min) at start | ${machine.loadAverage.map((l) => l.toFixed(2)).join(' / ')} |`,
    `| Date | ${machine.date} |`,
  ].join('\n');
}

if (require.main === module) console.log(machineMarkdown(describeMachine()));
