import type { InstructionFileUse, InstructionReason } from '../agent/events';

/** "root", "user", "nested for src/api/x.ts", "applyTo src/**\/*.ts for src/x.ts". */
export function describeReason(reason: InstructionReason): string {
  switch (reason.kind) {
    case 'root':
    case 'user':
      return reason.kind;
    case 'nested':
      return `nested for ${reason.for}`;
    case 'applyTo':
      return `applyTo ${reason.glob}${reason.for ? ` for ${reason.for}` : ''}`;
  }
}

/** "AGENTS.md (root, 120 tokens)"; a cut file says of how many. */
export function describeInstructionFile(file: InstructionFileUse): string {
  const tokens = file.tokens < file.fileTokens ? `${file.tokens} of ${file.fileTokens} tokens, cut` : `${file.tokens} tokens`;
  return `${file.path} (${describeReason(file.reason)}, ${tokens})`;
}
