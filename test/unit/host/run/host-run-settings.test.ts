import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostApprovalSettings, hostRunSettings } from '../../../../src/host/run/host-run-settings';
import { parseSettings } from '../../../../src/host/settings/settings-values';

const settingsOf = (raw: Record<string, unknown>) => parseSettings((key) => raw[key]).settings;

test("the extension's settings become the run's limits, approval and plan choice", () => {
  const settings = settingsOf({ maxSteps: 9, maxCostUsd: 2, 'autoApprove.write': true, 'autoApprove.remember': false, protectedPaths: ['infra/**'], taintApproval: false, smallModelMode: 'off' });
  const run = hostRunSettings(settings, 32_000, true);
  assert.equal(run.planFirst, true);
  assert.equal(run.limits.maxSteps, 9);
  assert.equal(run.limits.maxCostUsd, 2);
  assert.equal(run.limits.contextTokens, 32_000, 'the window found for the model, not the setting');
  assert.equal(run.smallModel, 'off');
  assert.deepEqual(run.approval, hostApprovalSettings(settings));
  assert.deepEqual(run.approval.autoApprove, { read: true, write: true, execute: false, network: false });
  assert.deepEqual(run.approval.protectedPaths, ['infra/**']);
  assert.equal(run.approval.taintNeedsApproval, false);
  assert.deepEqual(run.approval.autoApproveTools, [], 'remember asks when its setting is off');
  assert.deepEqual(hostApprovalSettings(settingsOf({})).autoApproveTools, ['remember'], 'and runs unasked by default');
});
