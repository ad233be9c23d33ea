import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/agent/logger';
import type { ToolContext } from '../../../src/agent/tool';
import { describeTime, getCurrentTime } from '../../../src/tools/get-current-time';

const ctx = { signal: new AbortController().signal, log: silentLogger, runId: 'run', callId: 'call' } as unknown as ToolContext;
const SUMMER = new Date('2024-07-01T12:00:05.250Z');
const WINTER = new Date('2024-01-15T23:30:00Z');

test('a given zone gets its local ISO 8601 time with offset, weekday and zone name', () => {
  assert.equal(
    describeTime(SUMMER, 'America/New_York'),
    '2024-07-01T08:00:05-04:00 (Monday) in America/New_York (UTC-04:00, Eastern Daylight Time)\nUTC: 2024-07-01T12:00:05Z',
  );
  assert.equal(
    describeTime(WINTER, 'America/New_York').split('\n')[0],
    '2024-01-15T18:30:00-05:00 (Monday) in America/New_York (UTC-05:00, Eastern Standard Time)',
  );
  assert.match(describeTime(WINTER, 'Asia/Kolkata'), /^2024-01-16T05:00:00\+05:30 \(Tuesday\) in Asia\/Kolkata \(UTC\+05:30, India Standard Time\)/);
  assert.match(describeTime(WINTER, 'UTC'), /^2024-01-15T23:30:00\+00:00 \(Monday\) in UTC \(UTC\+00:00, Coordinated Universal Time\)/);
  assert.match(describeTime(new Date('2024-03-10T05:00:00Z'), 'Asia/Kathmandu'), /^2024-03-10T10:45:00\+05:45 /);
});

test('zone names are accepted in any case, and older aliases as given', () => {
  assert.match(describeTime(SUMMER, 'Europe/Kyiv'), / in Europe\/Kyiv \(UTC\+03:00, Eastern European Summer Time\)/);
  assert.match(describeTime(SUMMER, 'PST'), /^2024-07-01T05:00:05-07:00 \(Monday\) in PST \(UTC-07:00, Pacific Daylight Time\)/);
  assert.match(describeTime(SUMMER, 'europe/paris'), / in Europe\/Paris \(UTC\+02:00, Central European Summer Time\)/);
});

test('midnight is hour 00', () => {
  assert.match(describeTime(new Date('2024-05-05T00:00:00Z'), 'UTC'), /^2024-05-05T00:00:00\+00:00/);
});

test('without a zone the local zone is used', async () => {
  const local = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const output = (await getCurrentTime.execute({}, ctx)) as string;
  assert.match(output, new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2}) \\(\\w+day\\) in ${local.replace('/', '\\/')} `));
  const utcLine = output.split('\n')[1];
  assert.ok(Math.abs(Date.parse(utcLine.slice('UTC: '.length)) - Date.now()) < 5_000, 'it is the current time');
});

test('an unknown zone is refused with close matches or valid examples', () => {
  assert.throws(() => describeTime(SUMMER, 'Europe/Pari'), /"Europe\/Pari" is not an IANA time zone\. Did you mean: Europe\/Paris\?/);
  assert.throws(() => describeTime(SUMMER, 'Amerca/New_Yrok'), /Did you mean: America\/New_York/);
  assert.throws(() => describeTime(SUMMER, 'Mars/Olympus_Mons_Base'), /Valid examples: UTC, Europe\/London, .*Asia\/Tokyo/);
  assert.throws(() => describeTime(SUMMER, 'CEST'), /"CEST" is not an IANA time zone\. .*Use Region\/City names, or "UTC"/);
});
