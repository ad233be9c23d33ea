/** Whether a link from a webview may be opened: absolute http(s) URLs only. Pure, unit-tested. */
export function isOpenableLink(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
