import { z } from 'zod';
import { ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { editDistance } from '../agent/edit-distance';

export const getCurrentTime = defineTool({
  name: 'get_current_time',
  description:
    'Get the current date, time, weekday and UTC offset, in the local time zone or a given IANA zone ' +
    '("Europe/Paris", "America/New_York", "UTC"). Use it whenever the answer depends on today\'s date or the ' +
    'time somewhere; never guess the date.',
  risk: 'read',
  // The result is the clock, formatted here.
  outsideContent: false,
  input: z.object({
    time_zone: z.string().min(1).max(64).optional().describe('IANA time zone name; the local zone when omitted.'),
  }),
  async execute({ time_zone }) {
    return describeTime(new Date(), time_zone);
  },
});

const EXAMPLE_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney'];

/** `date` as a person in `timeZone` (or the local zone) would read it, with an ISO 8601 stamp. */
export function describeTime(date: Date, timeZone?: string): string {
  const zone = resolveZone(timeZone);
  const parts = partsOf(date, zone, { weekday: 'long', timeZoneName: 'longOffset' });
  const offset = isoOffset(parts.timeZoneName);
  const iso = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
  const longName = partsOf(date, zone, { timeZoneName: 'long' }).timeZoneName;
  const nameNote = longName && longName !== zone && !/^GMT[+-]/.test(longName) ? `, ${longName}` : '';
  return (
    `${iso} (${parts.weekday}) in ${zone} (UTC${offset}${nameNote})` +
    `\nUTC: ${date.toISOString().replace(/\.\d{3}Z$/, 'Z')}`
  );
}

function resolveZone(timeZone: string | undefined): string {
  if (timeZone === undefined) return new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const wanted = timeZone.trim();
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: wanted }).resolvedOptions().timeZone;
    // ICU reports some zones by older names (Asia/Kolkata as Asia/Calcutta): keep the caller's
    // name then, and only fix its case when it is the same zone name.
    return resolved.toLowerCase() === wanted.toLowerCase() ? resolved : wanted;
  } catch {
    const suggestions = similarZones(timeZone);
    const examples = suggestions.length > 0 ? suggestions : EXAMPLE_ZONES;
    throw new ToolError(
      `"${timeZone}" is not an IANA time zone. ${suggestions.length > 0 ? 'Did you mean' : 'Valid examples'}: ` +
        `${examples.join(', ')}? Use Region/City names, or "UTC".`,
    );
  }
}

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

function partsOf(date: Date, timeZone: string, extra: Intl.DateTimeFormatOptions): Parts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23', // midnight is 00, never 24
    ...extra,
  });
  const parts: Parts = {};
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** "GMT+05:30" → "+05:30"; "GMT" → "+00:00". */
function isoOffset(gmt: string | undefined): string {
  const match = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(gmt ?? '');
  if (!match) return '+00:00';
  return `${match[1]}${match[2].padStart(2, '0')}:${match[3] ?? '00'}`;
}

/** Zones whose name contains the given text, or that are a small edit away from it. */
function similarZones(input: string): string[] {
  const wanted = input.trim().toLowerCase().replace(/\s+/g, '_');
  if (wanted.length < 2) return [];
  const zones = Intl.supportedValuesOf('timeZone');
  const city = wanted.split('/').at(-1) ?? wanted;
  const containing = zones.filter((zone) => zone.toLowerCase().includes(city));
  if (containing.length > 0) return containing.slice(0, 5);
  return zones
    .map((zone) => ({ zone, distance: editDistance(wanted, zone.toLowerCase()) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 4)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 5)
    .map(({ zone }) => zone);
}
