import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpenableLink } from '../../../../src/host/webview/link-rules';

test('only absolute http(s) links may be opened from a webview', () => {
  for (const href of ['https://example.com/docs', 'http://127.0.0.1:8080/x?y=1#z']) assert.equal(isOpenableLink(href), true, href);
  for (const href of [
    'command:workbench.action.terminal.new',
    'file:///etc/passwd',
    'vscode://settings',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    '/relative/path',
    '#anchor',
    'https//missing-colon',
    '',
  ]) {
    assert.equal(isOpenableLink(href), false, href);
  }
});
