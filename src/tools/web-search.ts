import { z } from 'zod';
import { ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { fetchText, parseHttpUrl } from './fetch-url';
import { clip } from '../agent/format';
import { decodeEntities } from './html-to-text';

export interface WebSearchOptions {
  /** Base URL of a SearXNG-compatible instance (settings: glassbox.webSearchEndpoint). */
  readonly endpoint?: string;
  readonly timeoutMs?: number;
}

/** Whether web_search can be offered: only with an endpoint configured. */
export function isWebSearchAvailable(options: WebSearchOptions): boolean {
  return typeof options.endpoint === 'string' && options.endpoint.trim().length > 0;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const SNIPPET_CHARS = 300;

// SearXNG's JSON answer, read leniently: other compatible services omit fields.
const SearchResponse = z.object({
  results: z
    .array(
      z.object({
        title: z.string().optional().catch(undefined),
        url: z.string(),
        content: z.string().optional().catch(undefined),
        publishedDate: z.string().nullable().optional().catch(undefined),
      }),
    )
    .catch([]),
  answers: z.array(z.unknown()).optional().catch(undefined),
});

export const webSearch = (options: WebSearchOptions) =>
  defineTool({
    name: 'web_search',
    description:
      'Search the web and get numbered results (title, URL, snippet). Use it to find current information or ' +
      'pages you do not know the URL of; then read the promising ones with fetch_url. Cite sources by their ' +
      'number and URL.',
    risk: 'network',
    input: z.object({
      query: z.string().min(1).max(500).describe('What to search for, as you would type it into a search engine.'),
      max_results: z.number().int().min(1).max(20).default(8).describe('How many results to return (default 8).'),
    }),
    async preview({ query }) {
      const endpoint = endpointUrl(options);
      return {
        summary: `Search the web for "${clip(query, 80)}"`,
        detail: `Sends the query to ${endpoint.origin} (${endpoint.href}) and returns the results to the model.`,
      };
    },
    async execute({ query, max_results }, ctx) {
      const url = endpointUrl(options);
      url.searchParams.set('q', query);
      url.searchParams.set('format', 'json');
      let body: string;
      try {
        const response = await fetchText(url, ctx.signal, {
          maxBytes: MAX_RESPONSE_BYTES,
          timeoutMs: options.timeoutMs,
          accept: 'application/json',
          // The person named this service (often a local SearXNG): its host is allowed.
          allowHosts: [url.hostname],
        });
        body = response.text;
      } catch (error) {
        if (error instanceof ToolError && /HTTP 403/.test(error.message)) {
          throw new ToolError(
            `${error.message}\nThe search service refused JSON output; a SearXNG instance needs "json" in search.formats of its settings.yml.`,
          );
        }
        throw error;
      }
      const results = parseResults(body, url.origin);
      const lines = [`Web results for "${query}" (via ${url.host}):`];
      for (const answer of results.answers) lines.push(`Answer: ${answer}`);
      if (results.items.length === 0) lines.push('No results. Try other words, or fewer of them.');
      results.items.slice(0, max_results).forEach((item, index) => {
        lines.push(`[${index + 1}] ${item.title}`, `    ${item.url}`);
        if (item.date) lines.push(`    Published: ${item.date}`);
        if (item.snippet) lines.push(`    ${item.snippet}`);
      });
      if (results.items.length > 0) lines.push('Cite results by number and URL; read a page with fetch_url before relying on details.');
      return { output: lines.join('\n'), taintSource: `web search results for "${clip(query, 60)}"` };
    },
  });

function endpointUrl(options: WebSearchOptions): URL {
  if (!isWebSearchAvailable(options)) {
    throw new ToolError('Web search is not set up: no search endpoint is configured (setting glassbox.webSearchEndpoint).');
  }
  const base = parseHttpUrl(options.endpoint!);
  // Accept both the instance root and its /search path.
  if (!base.pathname.replace(/\/+$/, '').endsWith('/search')) base.pathname = `${base.pathname.replace(/\/+$/, '')}/search`;
  base.search = '';
  return base;
}

interface SearchResults {
  readonly answers: string[];
  readonly items: { title: string; url: string; snippet: string; date?: string }[];
}

function parseResults(body: string, origin: string): SearchResults {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ToolError(`The search service at ${origin} did not answer with JSON: ${clip(body.replace(/\s+/g, ' ').trim(), 200)}`);
  }
  const parsed = SearchResponse.safeParse(json);
  if (!parsed.success) throw new ToolError(`The search service at ${origin} answered in an unknown shape.`);
  const seen = new Set<string>();
  const items: SearchResults['items'] = [];
  for (const result of parsed.data.results) {
    // Only web links are worth citing; duplicates from several engines count once.
    if (!/^https?:\/\//i.test(result.url) || seen.has(result.url)) continue;
    seen.add(result.url);
    items.push({
      title: plain(result.title ?? '') || result.url,
      url: result.url,
      snippet: clip(plain(result.content ?? ''), SNIPPET_CHARS),
      ...(result.publishedDate ? { date: result.publishedDate.slice(0, 10) } : {}),
    });
  }
  const answers = (parsed.data.answers ?? [])
    .map((answer) => (typeof answer === 'string' ? answer : typeof (answer as { answer?: unknown })?.answer === 'string' ? (answer as { answer: string }).answer : ''))
    .map((answer) => clip(plain(answer), SNIPPET_CHARS))
    .filter((answer) => answer.length > 0);
  return { answers, items };
}

/** Snippets sometimes carry markup (<b>match</b>) and entities: keep the words. */
function plain(text: string): string {
  return decodeEntities(text.replace(/<[^>]{0,200}>/g, '')).replace(/\s+/g, ' ').trim();
}
