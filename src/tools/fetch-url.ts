import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { z } from 'zod';
import { localNameReason, nonPublicReason } from '../agent/safety/address-policy';
import { CancelledError, ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { htmlToText } from './html-to-text';
import { clip, formatBytes, formatDuration } from '../agent/format';

// fetch_url: one web page, text file or JSON document, as text the model can read. Also home
// of the capped, redirect-checked HTTP read that web_search reuses.

export interface FetchOptions {
  /** Bytes read from a response before reading stops (default 2 MB). */
  readonly maxBytes?: number;
  /** Time for the whole fetch, redirects included (default 20 s). */
  readonly timeoutMs?: number;
  /**
   * Hosts the person allows although they are on this computer or a private network
   * (settings: glassbox.webAllowHosts; CLI --allow-host). Matched by name, case-insensitively.
   */
  readonly allowHosts?: readonly string[];
  /** Resolves a host name to its addresses; dns.lookup by default. Tests inject their own. */
  readonly resolve?: Resolver;
}

export type Resolver = (hostname: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

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
      const local = literalOrNameReason(target.hostname) !== undefined
        ? `\nThis address is on this computer or its local network, not the public web${
            isAllowedHost(target.hostname, options.allowHosts) ? ' (allowed by your settings)' : '; it will be refused'
          }.`
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
      // Every hop is checked again: a public page may redirect to a local service.
      const response = await get(current, combined, options, {
        'user-agent': USER_AGENT,
        accept: options.accept ?? 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5',
      });
      if (response.status >= 300 && response.status < 400 && response.location !== undefined) {
        response.discard();
        if (hop >= MAX_REDIRECTS) throw new ToolError(`${url.href} redirects more than ${MAX_REDIRECTS} times; stopped.`);
        current = nextHop(current, response.location);
        continue;
      }
      const contentType = response.contentType.trim();
      const body = await readCapped(response.body, maxBytes);
      const kind = classify(contentType, body.data);
      if (!(response.status >= 200 && response.status < 300)) {
        const snippet = kind === 'binary' ? '' : `: ${clip(decode(body.data, contentType).replace(/\s+/g, ' ').trim(), 300)}`;
        throw new ToolError(`${current.href} answered HTTP ${response.status} ${response.statusText}${snippet}`.trim());
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

interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly location?: string;
  readonly body: IncomingMessage;
  discard(): void;
}

/**
 * One GET over node:http(s), never following redirects. The connection goes only to an
 * address the policy allows: IP literals and local names are judged before connecting, and
 * names are judged in the socket's own lookup, so the address checked is the address used
 * (a name cannot resolve to a public address for the check and a private one for the connect).
 */
function get(url: URL, signal: AbortSignal, options: FetchOptions, headers: Record<string, string>): Promise<HttpResponse> {
  const allowed = isAllowedHost(url.hostname, options.allowHosts);
  if (!allowed) {
    const reason = literalOrNameReason(url.hostname);
    if (reason !== undefined) throw refusal(url, url.hostname, reason);
  }
  const resolve = options.resolve ?? defaultResolver;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
        if (!allowed) {
          for (const { address } of addresses) {
            const reason = nonPublicReason(address);
            if (reason !== undefined) return callback(new BlockedAddress(refusal(url, address, reason).message), '', 4);
          }
        }
        const wanted = lookupOptions.family === 6 || lookupOptions.family === 4 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
        const usable = wanted.length > 0 ? wanted : addresses;
        if (lookupOptions.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable.map((a) => ({ ...a })));
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const request = send(url, { method: 'GET', headers, signal, lookup, agent: false }, (response) => {
      const location = response.headers.location;
      done({
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        contentType: String(response.headers['content-type'] ?? ''),
        location: typeof location === 'string' ? location : undefined,
        body: response,
        discard: () => response.destroy(),
      });
    });
    request.once('error', (error) => fail(error instanceof BlockedAddress ? new ToolError(error.message) : error));
    request.end();
  });
}

class BlockedAddress extends Error {}

function refusal(url: URL, address: string, reason: string): ToolError {
  const host = url.hostname;
  return new ToolError(
    `Refused: ${url.href} ${address === host ? 'is' : `resolves to ${address}, which is`} ${reason}, not the public web. ` +
      'fetch_url reads public pages only; the user can allow this host by name (glassbox.webAllowHosts, or --allow-host in the CLI).',
  );
}

/** Why the host as written (an IP literal or a local name) is not public; undefined when only a lookup can tell. */
function literalOrNameReason(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? nonPublicReason(host) : localNameReason(host);
}

function isAllowedHost(hostname: string, allowHosts: readonly string[] | undefined): boolean {
  if (!allowHosts || allowHosts.length === 0) return false;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
  return allowHosts.some((allowed) => allowed.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '') === host);
}

async function readCapped(body: IncomingMessage, maxBytes: number): Promise<{ data: Uint8Array; cut: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let cut = false;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const room = maxBytes - length;
      if (chunk.byteLength > room) {
        chunks.push(chunk.subarray(0, room));
        length += room;
        cut = true;
        break;
      }
      chunks.push(chunk);
      length += chunk.byteLength;
      if (length === maxBytes) {
        // Exactly full: cut only if more follows.
        cut = !(await endsNow(body));
        break;
      }
    }
  } finally {
    // Stop the download: the rest of a large or endless body is never read.
    body.destroy();
  }
  return { data: Buffer.concat(chunks, length), cut };
}

function endsNow(body: IncomingMessage): Promise<boolean> {
  if (body.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    body.once('data', () => resolve(false));
    body.once('end', () => resolve(true));
    body.once('error', () => resolve(true));
  });
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
