// HTML to the text a reader would see, for fetch_url: a forward-only scanner over the markup
// (no DOM, no dependency), tolerant of broken pages.

/** Elements whose content is never text a reader sees. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'nav', 'iframe', 'object', 'canvas', 'select', 'button']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'template']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);

/**
 * Readable text of an HTML page: script, style, navigation and hidden elements dropped,
 * headings as `#` lines, list items as `- `, links as `text (absolute url)`, `pre` kept as is.
 * A forward-only scan (every search moves on from where the last ended), so it is linear even
 * on broken markup.
 */
export function htmlToText(html: string, baseUrl: string): { title: string; text: string } {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const links: { href: string; start: number }[] = [];
  let title = '';
  let preDepth = 0;
  let i = 0;

  const atLineStart = () => {
    for (let k = out.length - 1; k >= 0; k--) if (out[k].length > 0) return out[k].endsWith('\n');
    return true;
  };
  const emit = (text: string) => {
    if (text.length === 0) return;
    if (preDepth > 0) return void out.push(text);
    const collapsed = text.replace(/\s+/g, ' ');
    out.push(atLineStart() ? collapsed.trimStart() : collapsed);
  };
  // A line break (count 1) or paragraph break (2), added only where the text lacks it already.
  const newline = (count = 1) => {
    let trailing = 0;
    for (let k = out.length - 1; k >= 0 && trailing < count; k--) {
      const piece = out[k];
      let end = piece.length;
      while (end > 0 && piece[end - 1] === '\n' && trailing < count) {
        end--;
        trailing++;
      }
      if (end > 0) break;
    }
    if (out.length > 0 && trailing < count) out.push('\n'.repeat(count - trailing));
  };

  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) {
      emit(decodeEntities(html.slice(i)));
      break;
    }
    if (open > i) emit(decodeEntities(html.slice(i, open)));
    if (lower.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[open + 1] === '!' || html[open + 1] === '?') {
      const end = html.indexOf('>', open);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    const tag = readTag(html, open);
    if (!tag) {
      emit('<');
      i = open + 1;
      continue;
    }
    i = tag.end;
    const { name, closing, attributes } = tag;

    if (!closing && RAW_TEXT.has(name) && !tag.selfClosing) {
      const close = lower.indexOf(`</${name}`, i);
      const content = html.slice(i, close < 0 ? html.length : close);
      if (name === 'title' && !title) title = decodeEntities(content).replace(/\s+/g, ' ').trim();
      if (name === 'textarea') emit(decodeEntities(content));
      i = close < 0 ? html.length : skipPast(html, close);
      continue;
    }
    if (!closing && !VOID.has(name) && !tag.selfClosing && (SKIPPED.has(name) || isHidden(attributes))) {
      i = skipElement(html, lower, name, i);
      continue;
    }
    if (closing) {
      if (name === 'a') {
        const link = links.pop();
        if (link) {
          const text = out.splice(link.start).join('').replace(/\s+/g, ' ').trim();
          out.push(text === '' ? '' : text === link.href || link.href === '' ? text : `${text} (${link.href})`);
        }
      } else if (name === 'pre') {
        preDepth = Math.max(0, preDepth - 1);
        newline(2);
      } else if (/^h[1-6]$/.test(name) || name === 'p' || name === 'table' || name === 'blockquote') newline(2);
      else if (BLOCK.has(name) || name === 'li') newline();
      else if (name === 'td' || name === 'th') out.push(' | ');
      continue;
    }
    if (name === 'a') {
      links.push({ href: resolveLink(attributes.get('href'), baseUrl), start: out.length });
    } else if (/^h[1-6]$/.test(name)) {
      newline(2);
      out.push(`${'#'.repeat(Number(name[1]))} `);
    } else if (name === 'li') {
      newline();
      out.push('- ');
    } else if (name === 'br') newline();
    else if (name === 'hr') out.push('\n---\n');
    else if (name === 'img') {
      const alt = attributes.get('alt')?.trim();
      if (alt) emit(`[image: ${decodeEntities(alt)}]`);
    } else if (name === 'pre') {
      newline(2);
      preDepth++;
    } else if (name === 'p' || name === 'blockquote' || name === 'table') newline(2);
    else if (BLOCK.has(name)) newline();
  }
  // Unclosed links still show their target.
  while (links.length > 0) {
    const link = links.pop()!;
    const text = out.splice(link.start).join('').replace(/\s+/g, ' ').trim();
    out.push(link.href ? `${text} (${link.href})` : text);
  }
  return { title, text: tidy(out.join('')) };
}

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly attributes: Map<string, string>;
  /** Index just past the `>`. */
  readonly end: number;
}

const TAG_NAME = /(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function readTag(html: string, open: number): Tag | undefined {
  TAG_NAME.lastIndex = open + 1;
  const match = TAG_NAME.exec(html);
  if (!match) return undefined;
  // Find the `>` that ends the tag, stepping over quoted attribute values.
  let j = TAG_NAME.lastIndex;
  let quote: string | undefined;
  for (; j < html.length; j++) {
    const c = html[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') break;
  }
  const inside = html.slice(TAG_NAME.lastIndex, j);
  const attributes = new Map<string, string>();
  if (match[1] !== '/') {
    for (const attribute of inside.matchAll(ATTRIBUTE)) {
      attributes.set(attribute[1].toLowerCase(), attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
  }
  return {
    name: match[2].toLowerCase(),
    closing: match[1] === '/',
    selfClosing: inside.trimEnd().endsWith('/'),
    attributes,
    end: Math.min(j + 1, html.length),
  };
}

function skipPast(html: string, from: number): number {
  const end = html.indexOf('>', from);
  return end < 0 ? html.length : end + 1;
}

/** Index past the end tag matching an element of `name` opened just before `from` (nesting counted). */
function skipElement(html: string, lower: string, name: string, from: number): number {
  let depth = 1;
  let i = from;
  const openTag = `<${name}`;
  const closeTag = `</${name}`;
  while (depth > 0) {
    const close = lower.indexOf(closeTag, i);
    if (close < 0) return html.length;
    // Count same-name elements opened before this end tag.
    for (let open = lower.indexOf(openTag, i); open >= 0 && open < close; open = lower.indexOf(openTag, open + 1)) {
      const after = lower[open + openTag.length];
      if (after === undefined || /[\s/>]/.test(after)) depth++;
    }
    depth--;
    i = skipPast(html, close);
  }
  return i;
}

function isHidden(attributes: Map<string, string>): boolean {
  if (attributes.has('hidden') || attributes.get('aria-hidden') === 'true') return true;
  const style = attributes.get('style')?.toLowerCase().replace(/\s+/g, '') ?? '';
  return style.includes('display:none') || style.includes('visibility:hidden');
}

function resolveLink(href: string | undefined, baseUrl: string): string {
  const value = decodeEntities(href?.trim() ?? '');
  if (value === '' || value.startsWith('#') || /^(?:javascript|data|vbscript):/i.test(value)) return '';
  try {
    return new URL(value, baseUrl).href;
  } catch {
    return value;
  }
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', copy: '©',
  reg: '®', trade: '™', laquo: '«', raquo: '»', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', bull: '•',
  middot: '·', times: '×', divide: '÷', euro: '€', pound: '£', yen: '¥', cent: '¢', deg: '°', plusmn: '±',
  para: '¶', sect: '§', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', le: '≤', ge: '≥', ne: '≠',
  minus: '−', shy: '', zwj: '', zwnj: '', thinsp: ' ', ensp: ' ', emsp: ' ',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Drops trailing spaces, and keeps at most one blank line between paragraphs. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
