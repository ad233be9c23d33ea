import { test } from 'node:test';
import assert from 'node:assert/strict';
import punycode from '../../../src/webview/host-names';

// The webview bundles use this in place of punycode.js (see scripts/build.mjs): markdown-it
// calls it on the host names of links.
test('link hosts are converted to ASCII the way punycode.js does it', () => {
  assert.equal(punycode.toASCII('bücher.example'), 'xn--bcher-kva.example');
  assert.equal(punycode.toASCII('example.com'), 'example.com');
});

test('visible link text keeps the ASCII form, so a look-alike host cannot pass for a real one', () => {
  // "pаypal.com" with a Cyrillic "а".
  const lookAlike = punycode.toASCII('p\u0430ypal.com');
  assert.match(lookAlike, /^xn--/);
  assert.equal(punycode.toUnicode(lookAlike), lookAlike);
});

test('a host the URL parser rejects throws (markdown-it then leaves the link as written)', () => {
  assert.throws(() => punycode.toASCII('exa mple.com'));
});
