import type { ApprovalRequest } from '../tool';
import { redactSecrets } from './redact';

/**
 * The request as events carry it (traces, logs, history): every text of its preview redacted.
 * The person's own dialog gets it whole, so a changed secret shows as changed.
 */
export function redactApprovalRequest(request: ApprovalRequest): ApprovalRequest {
  const { preview } = request;
  const text = (value: string) => redactSecrets(value).text;
  return {
    ...request,
    preview: {
      ...preview,
      summary: text(preview.summary),
      detail: text(preview.detail),
      ...(preview.diff ? { diff: { path: preview.diff.path, before: text(preview.diff.before), after: text(preview.diff.after) } } : {}),
      ...(preview.command ? { command: { line: text(preview.command.line), cwd: preview.command.cwd } } : {}),
    },
    ...(request.commandParts
      ? { commandParts: request.commandParts.map((part) => ({ ...part, text: text(part.text), why: text(part.why) })) }
      : {}),
  };
}
