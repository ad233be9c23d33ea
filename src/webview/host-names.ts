/**
 * Stands in for the `punycode.js` package inside the webview bundles (see the alias in
 * scripts/build.mjs). markdown-it uses it on link host names only:
 * - toASCII, for the href: the browser's URL parser applies the same IDNA rules.
 * - toUnicode, for the visible link text: we keep the ASCII (xn--) form on purpose, so a
 *   look-alike host name (pаypal.com with a Cyrillic "а") cannot pass for the real one.
 */
function toASCII(host: string): string {
  return new URL(`http://${host}`).hostname;
}

function toUnicode(host: string): string {
  return host;
}

export default { toASCII, toUnicode };
