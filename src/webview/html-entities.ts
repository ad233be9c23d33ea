/**
 * Stands in for the `entities` package inside the webview bundles (see the alias in
 * scripts/build.mjs): markdown-it only calls `decodeHTMLStrict` on one `&name;` token it has
 * already matched, and the browser's own parser knows every named entity, so there is no need to
 * ship a 20 KB table. The token is parsed in an inert document (never inserted), so nothing in it
 * can run or load.
 */
const ENTITY = /^&[a-z][a-z0-9]{1,31};$/i;
let parser: DOMParser | undefined;

export function decodeHTMLStrict(text: string): string {
  if (!ENTITY.test(text)) return text;
  parser ??= new DOMParser();
  const decoded = parser.parseFromString(text, 'text/html').body.textContent ?? text;
  // An unknown name comes back unchanged; markdown-it then keeps the literal text.
  return decoded;
}
