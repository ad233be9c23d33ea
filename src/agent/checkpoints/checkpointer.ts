/**
 * What the loop knows of checkpoints: one call before each risky step. The loop turns the
 * answer into a `checkpoint-created` event (or a warning when none could be made) and never
 * sees the store itself.
 */
import type { EventOf } from '../events';
import type { AnyTool } from '../tool';
import type { CheckpointStore } from './checkpoint-store';

export interface CheckpointRequest {
  readonly runId: string;
  readonly step: number;
  readonly callId: string;
  readonly tool: string;
  /** One line naming the step: "before run_command: npm test". */
  readonly label: string;
}

export type CheckpointMade = Omit<EventOf<'checkpoint-created'>, 'type' | 'runId' | 'seq' | 'time' | 'step' | 'callId' | 'tool'>;

export interface Checkpointer {
  create(request: CheckpointRequest): Promise<CheckpointMade>;
}

/** Write and execute tools get a checkpoint first, unless they say they touch no workspace file. */
export function needsCheckpoint(tool: AnyTool): boolean {
  return (tool.risk === 'write' || tool.risk === 'execute') && tool.changesWorkspace !== false;
}

/** "before run_command: npm test", from the argument that says what the call does. */
export function checkpointLabel(tool: string, args: unknown): string {
  const fields = args && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  const what = [fields.command, fields.path].find((value): value is string => typeof value === 'string');
  const short = what && what.length > 80 ? `${what.slice(0, 79)}…` : what;
  return short ? `before ${tool}: ${short}` : `before ${tool}`;
}

/** A checkpointer over one workspace folder's store. */
export function storeCheckpointer(store: CheckpointStore): Checkpointer {
  return {
    async create({ runId, step, callId, tool, label }) {
      const { checkpoint, durationMs } = store.create({ label, runId, step, callId, tool });
      return {
        checkpointId: checkpoint.id,
        files: checkpoint.files,
        addedBytes: checkpoint.addedBytes,
        skippedFiles: checkpoint.skippedCount,
        durationMs,
      };
    },
  };
}
