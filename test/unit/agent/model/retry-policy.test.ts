import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, requestedRetryDelayMs } from '../../../../src/agent/model/retry-policy';

const headers = (values: Record<string, string>) => new Headers(values);

test('statuses that waiting can fix are retried; client errors are not', () => {
  assert.deepEqual([408, 409, 429, 500, 502, 503, 504].map(isRetryableStatus), Array(7).fill(true));
  assert.deepEqual([400, 401, 403, 404, 422].map(isRetryableStatus), Array(5).fill(false));
});

test('Retry-After is read as ms, seconds or an HTTP date; retry-after-ms wins', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now), 1500);
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after': '2.5' }), now), 2500);
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5000);
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now), 0);
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(requestedRetryDelayMs(headers({ 'retry-after-ms': 'x' }), now), undefined);
  assert.equal(requestedRetryDelayMs(headers({}), now), undefined);
  assert.equal(requestedRetryDelayMs(undefined, now), undefined);
});

test('backoff doubles per retry, stays under its ceiling, and jitter only shortens it', () => {
  const noJitter = () => 0;
  const fullJitter = () => 1;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, defaultRetryPolicy, noJitter)), [500, 1000, 2000, 4000, 8000, 8000]);
  assert.equal(backoffDelayMs(2, defaultRetryPolicy, fullJitter), 750);
  for (let i = 0; i < 100; i++) {
    const delay = backoffDelayMs(3, defaultRetryPolicy);
    assert.ok(delay >= 1500 && delay <= 2000, String(delay));
  }
});
