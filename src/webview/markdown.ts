import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';
import { h, icon } from './dom';

// Model text → DOM. markdown-it renders with raw HTML off (a `<script>` in the answer stays
// text), then DOMPurify sanitizes the result into a fragment, so nothing reaches the page as
// an HTML string. Links are never followed by the page: a click asks the host (see chat-main),
// which opens only http(s) URLs. Images are shown as links (the page may not load them).

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

export interface CodeActions {
  copy(code: string): void;
  insert(code: string): void;
}

export function renderMarkdown(text: string, actions: CodeActions): DocumentFragment {
  const fragment = DOMPurify.sanitize(markdown.render(text), {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'],
    FORBID_ATTR: ['style'],
  });
  for (const image of Array.from(fragment.querySelectorAll('img'))) {
    const src = image.getAttribute('src') ?? '';
    const label = image.getAttribute('alt') || src;
    image.replaceWith(src ? h('a', { href: src, title: src }, `[image: ${label}]`) : document.createTextNode(label));
  }
  for (const link of Array.from(fragment.querySelectorAll('a[href]'))) {
    link.setAttribute('title', link.getAttribute('href') ?? '');
    link.setAttribute('rel', 'noreferrer noopener');
  }
  for (const code of Array.from(fragment.querySelectorAll('pre > code'))) {
    const pre = code.parentElement!;
    const placeholder = document.createComment('code');
    pre.replaceWith(placeholder);
    placeholder.replaceWith(codeBlock(pre, code.textContent ?? '', languageOf(code), actions));
  }
  return fragment;
}

function languageOf(code: Element): string {
  const match = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
  return match?.[1] ?? '';
}

function codeBlock(pre: HTMLElement, code: string, language: string, actions: CodeActions): HTMLElement {
  const copy = h(
    'button',
    { type: 'button', class: 'code-action', title: 'Copy', 'aria-label': 'Copy code' },
    icon('copy'),
    h('span', { class: 'label' }, 'Copy'),
  );
  copy.addEventListener('click', () => {
    actions.copy(code);
    flash(copy, 'Copied');
  });
  const insert = h(
    'button',
    { type: 'button', class: 'code-action', title: 'Insert at cursor', 'aria-label': 'Insert code at cursor' },
    icon('insert'),
    h('span', { class: 'label' }, 'Insert'),
  );
  insert.addEventListener('click', () => actions.insert(code));
  return h('div', { class: 'code-block' }, h('div', { class: 'code-toolbar' }, h('span', { class: 'code-language' }, language), copy, insert), pre);
}

function flash(button: HTMLElement, text: string): void {
  const label = button.querySelector('.label');
  if (!label) return;
  const before = label.textContent;
  label.textContent = text;
  setTimeout(() => (label.textContent = before), 1_200);
}
