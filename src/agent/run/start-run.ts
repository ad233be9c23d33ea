import type { AgentEvent } from '../events';
import { runAgent } from '../loop/run-agent';
import { runPlanned } from '../plan/run-planned';
import type { RunRequest } from './build-run';

/** The one place that chooses between a plain run and a planned one. */
export function startRun(request: RunRequest): AsyncGenerator<AgentEvent> {
  return request.planned ? runPlanned(request.options) : runAgent(request.options);
}
