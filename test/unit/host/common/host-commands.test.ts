// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../../../src/agent/logger';
import { HostCommands } from '../../../../src/host/common/host-commands';

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => errors.push(message) };
}

async function invoke(id: string, ...args: unknown[]): Promise<void> {
  const handler = recorded.registeredCommands.get(id);
  assert.ok(handler, `${id} is registered`);
  await handler(...args);
}

test('a command that throws or rejects is logged with its stack and shown to the person, once', async () => {
  const logger = recordingLogger();
  const commands = new HostCommands(logger);
  recorded.errors.length = 0;
  const thrown = commands.register('test.throws', () => {
    throw new Error('the disk is full');
  });
  const rejected = commands.register('test.rejects', async () => Promise.reject(new Error('no such chat')));

  await invoke('test.throws');
  await invoke('test.rejects');
  assert.deepEqual(
    recorded.errors.map((error) => error.message),
    ['Glassbox: the disk is full', 'Glassbox: no such chat'],
  );
  assert.equal(logger.errors.length, 2);
  assert.match(logger.errors[0], /^test\.throws failed: Error: the disk is full\n\s+at /, 'the log has the stack, not only the message');
  assert.match(logger.errors[1], /^test\.rejects failed: Error: no such chat\n\s+at /);
  thrown.dispose();
  rejected.dispose();
});

test('a command gets its arguments, and one that succeeds shows nothing; disposing unregisters it', async () => {
  const logger = recordingLogger();
  const seen: unknown[][] = [];
  recorded.errors.length = 0;
  const registration = new HostCommands(logger).register('test.echo', (...args: unknown[]) => void seen.push(args));
  await invoke('test.echo', 'checkpoint-1', 2);
  assert.deepEqual(seen, [['checkpoint-1', 2]]);
  assert.deepEqual(recorded.errors, []);
  assert.deepEqual(logger.errors, []);
  registration.dispose();
  assert.equal(recorded.registeredCommands.has('test.echo'), false);
});
