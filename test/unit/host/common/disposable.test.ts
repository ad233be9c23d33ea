import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortSignalFrom, whenAborted } from '../../../../src/host/common/cancellation';
import { Disposable, disposeAll, toDisposable } from '../../../../src/host/common/disposable';

class Owner extends Disposable {
  own(item: { dispose(): void }) {
    return this.register(item);
  }
}

test('an owner disposes what it registered, in reverse order, once', () => {
  const order: string[] = [];
  const owner = new Owner();
  owner.own(toDisposable(() => order.push('first')));
  owner.own(toDisposable(() => order.push('second')));
  owner.dispose();
  owner.dispose();
  assert.deepEqual(order, ['second', 'first']);
});

test('one failing item does not stop the rest of a teardown', () => {
  const order: string[] = [];
  const owner = new Owner();
  owner.own(toDisposable(() => order.push('first')));
  owner.own({ dispose: () => { throw new Error('boom'); } });
  owner.dispose();
  assert.deepEqual(order, ['first']);
});

test('registering on an owner that is gone disposes the item at once', () => {
  const owner = new Owner();
  owner.dispose();
  let disposed = false;
  owner.own(toDisposable(() => (disposed = true)));
  assert.equal(disposed, true);
});

/** A CancellationToken as VS Code hands it over: a flag and an event. */
function tokenSource() {
  const listeners = new Set<() => void>();
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: () => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  return {
    token,
    listeners,
    cancel() {
      token.isCancellationRequested = true;
      for (const listener of listeners) listener();
    },
  };
}

test('cancelling the token aborts the signal; disposing removes the listener', async () => {
  const source = tokenSource();
  const bridge = abortSignalFrom(source.token as never);
  assert.equal(bridge.signal.aborted, false);
  assert.equal(source.listeners.size, 1);
  const aborted = whenAborted(bridge.signal);
  source.cancel();
  await aborted;
  assert.equal(bridge.signal.aborted, true);
  bridge.dispose();
  assert.equal(source.listeners.size, 0);
});

test('a token cancelled already gives an aborted signal and no listener', () => {
  const source = tokenSource();
  source.cancel();
  const bridge = abortSignalFrom(source.token as never);
  assert.equal(bridge.signal.aborted, true);
  assert.equal(source.listeners.size, 0);
});

test('a view\'s own listeners are disposed in reverse order, safely, and the list is emptied', () => {
  const order: string[] = [];
  const items = [
    toDisposable(() => order.push('first')),
    { dispose: () => { throw new Error('boom'); } },
    toDisposable(() => order.push('third')),
  ];
  disposeAll(items);
  assert.deepEqual(order, ['third', 'first']);
  assert.equal(items.length, 0);
});
