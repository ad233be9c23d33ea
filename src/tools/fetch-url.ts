import { z } from 'zod';
import { CancelledError, ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { htmlToText } from './html-to-text';
import { clip, formatBytes, formatDuration } from '../shared/format';

// fetch_url: one web page, text file or JSON document, as text the model can read. Also home
// of the capped, redirect-checked HTTP read that web_search reuses.

export interface FetchOptions {
  /** Bytes read from a response before reading stops (default 2 MB). */
  readonly maxBytes?: number;
  /** Time for the whole fetch, redirects included (default 20 s). */
  readonly timeoutMs?: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_FETCH_TIMEOUT_MS = 20_000;
export const MAX_REDIRECTS = 5;
const USER_AGENT = 'Glassbox/0.1 (AI coding agent; fetch_url)';

export const createFetchUrl = (options: FetchOptions = {}) =>
  defineTool({
    name: 'fetch_url',
    description:
      'Download one web page or file over http(s) and return it as readable text: HTML is reduced to its text ' +
      'with headings and links kept, plain text and JSON come back as they are. Use it to read documentation, ' +
      'an article or an API response at a known URL; use web_search to find URLs first.',
    risk: 'network',
    input: z.object({
      url: z.string().min(1).max(4096).describe('The absolute http:// or https:// URL to fetch.'),
    }),
    async preview({ url }) {
      const target = parseHttpUrl(url);
      const local = isLocalHost(target.hostname)
        ? '\nThis address is on this computer or its local network, not the public web.'
        : '';
      return {
        summary: `Fetch ${clip(target.href, 100)}`,
        detail:
          `GET ${target.href}\nReads at most ${formatBytes(options.maxBytes ?? DEFAULT_MAX_BYTES)} and follows up to ` +
          `${MAX_REDIRECTS} redirects. What the page says is passed to the model.${local}`,
      };
    },
    async execute({ url }, ctx) {
      const page = await fetchText(parseHttpUrl(url), ctx.signal, options);
      const header =
        `URL: ${page.url}\nStatus: ${page.status} · ${page.contentType || 'unknown type'} · ${formatBytes(page.bytes)}` +
        (page.cut ? ` (stopped reading at ${formatBytes(page.maxBytes)})` : '');
      if (page.kind === 'html') {
        const { title, text } = htmlToText(page.text, page.url);
        return { output: `${header}${title ? `\nTitle: ${title}` : ''}\n\n${text}`, taintSource: page.url };
      }
      return { output: `${header}\n\n${page.text}`, taintSource: page.url };
    },
  });

export const fetchUrl = createFetchUrl();

export function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ToolError(`"${clip(input, 200)}" is not a valid absolute URL; give one such as https://example.com/page.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToolError(`Only http:// and https:// URLs can be fetched, not ${url.protocol}//.`);
  }
  url.hash = ''; // fragments never reach the server
  return url;
}

export interface FetchedText {
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly kind: 'html' | 'text';
  readonly text: string;
  readonly bytes: number;
  readonly cut: boolean;
  readonly maxBytes: number;
}

/**
 * GET `url` following redirects by hand (so each hop is checked: at most MAX_REDIRECTS, only
 * to http(s), never from https down to http), reading at most `maxBytes` of the body.
 * Non-2xx statuses and non-text bodies are ToolErrors.
 */
export async function fetchText(
  url: URL,
  signal: AbortSignal,
  options: FetchOptions & { accept?: string } = {},
): Promise<FetchedText> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, {
        redirect: 'manual',
        signal: combined,
        headers: {
          'user-agent': USER_AGENT,
          accept: options.accept ?? 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5',
        },
      });
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new ToolError(`${url.href} redirects more than ${MAX_REDIRECTS} times; stopped.`);
        current = nextHop(current, response.headers.get('location') ?? '');
        continue;
      }
      const contentType = (response.headers.get('content-type') ?? '').trim();
      const body = await readCapped(response, maxBytes);
      const kind = classify(contentType, body.data);
      if (!response.ok) {
        const snippet = kind === 'binary' ? '' : `: ${clip(decode(body.data, contentType).replace(/\s+/g, ' ').trim(), 300)}`;
        throw new ToolError(`${current.href} answered HTTP ${response.status} ${response.statusText}${snippet}`);
      }
      if (kind === 'binary') {
        throw new ToolError(
          `${current.href} is ${contentType || 'binary data'} (${formatBytes(body.data.byteLength)}${body.cut ? '+' : ''}); ` +
            'fetch_url reads web pages, text and JSON only.',
        );
      }
      return {
        url: current.href,
        status: response.status,
        contentType: contentType.split(';')[0].trim(),
        kind,
        text: decode(body.data, contentType, kind === 'html'),
        bytes: body.data.byteLength,
        cut: body.cut,
        maxBytes,
      };
    }
  } catch (error) {
    if (signal.aborted) throw new CancelledError();
    if (timeout.aborted) throw new ToolError(`${url.href} did not answer within ${formatDuration(timeoutMs)}; stopped.`);
    if (error instanceof ToolError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ToolError(`Could not fetch ${url.href}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

function nextHop(from: URL, location: string): URL {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new ToolError(`${from.href} redirects to an invalid address ("${clip(location, 200)}").`);
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    throw new ToolError(`${from.href} redirects to ${to.protocol}// (${clip(to.href, 200)}); only http(s) redirects are followed.`);
  }
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    throw new ToolError(`${from.href} redirects from https to plain http (${clip(to.href, 200)}); refused.`);
  }
  to.hash = '';
  return to;
}

async function readCapped(response: Response, maxBytes: number): Promise<{ data: Uint8Array; cut: boolean }> {
  if (!response.body) return { data: new Uint8Array(0), cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let cut = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - length;
      if (value.byteLength >= room) {
        chunks.push(value.subarray(0, room));
        length += room;
        cut = value.byteLength > room || !(await reader.read().then((next) => next.done));
        break;
      }
      chunks.push(value);
      length += value.byteLength;
    }
  } finally {
    // Stop the download: the rest of a large or endless body is never read.
    await reader.cancel().catch(() => undefined);
  }
  const data = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { data, cut };
}

function classify(contentType: string, data: Uint8Array): 'html' | 'text' | 'binary' {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type.startsWith('text/') || /^application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|x-ndjson|yaml|toml)$/.test(type)) return 'text';
  if (type === '' || type === 'application/octet-stream') {
    // Unlabelled: text if it has no NUL bytes, HTML if it starts like a page.
    const head = data.subarray(0, 1024);
    if (head.includes(0)) return 'binary';
    return /^\s*<(?:!doctype html|html)/i.test(new TextDecoder().decode(head)) ? 'html' : type === '' ? 'text' : 'binary';
  }
  return 'binary';
}

function decode(data: Uint8Array, contentType: string, sniffMeta = false): string {
  let charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  if (!charset && sniffMeta) {
    const head = new TextDecoder('latin1').decode(data.subarray(0, 2048));
    charset = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  }
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(data);
  } catch {
    return new TextDecoder('utf-8').decode(data); // unknown label: UTF-8 with replacement characters
  }
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host === '::1' ||
    /^(?:127|10)\.\d+\.\d+\.\d+$/.test(host) ||
    /^192\.168\.\d+\.\d+$/.test(host) ||
    /^172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+$/.test(host) ||
    /^169\.254\.\d+\.\d+$/.test(host) ||
    /^f[cd][0-9a-f]{2}:/.test(host) ||
    /^fe80:/.test(host)
  );
}
