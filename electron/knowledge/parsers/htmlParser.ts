import { parse, type HTMLElement, type Node, NodeType, type TextNode } from 'node-html-parser';
import type { ParsedSection } from './parsedFile.js';
import { tidyWhitespace } from './textDecoding.js';

const skippedTags = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);
const blockTags = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'li', 'ul', 'ol', 'table', 'tr', 'br',
  'blockquote', 'pre', 'dd', 'dt', 'dl', 'figure', 'figcaption', 'form', 'hr', 'address',
]);
const headingLevel: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Splits HTML into sections by heading, keeping the heading path (h1 > h2 > ...) of each. */
export function parseHtml(html: string): ParsedSection[] {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const sections: ParsedSection[] = [];
  const headings: { level: number; text: string }[] = [];
  let buffer = '';

  const flush = () => {
    const text = tidyWhitespace(buffer);
    buffer = '';
    if (!text) return;
    const headingPath = headings.map((heading) => heading.text);
    sections.push(headingPath.length > 0 ? { text, headingPath } : { text });
  };

  const walk = (node: Node) => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      buffer += (node as TextNode).text;
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const element = node as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? '';
    if (skippedTags.has(tag)) return;
    const level = headingLevel[tag];
    if (level !== undefined) {
      flush();
      const text = tidyWhitespace(element.textContent).replace(/\n/g, ' ');
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      if (text) headings.push({ level, text });
      // The heading's own words stay searchable inside its section.
      if (text) buffer += `${text}\n`;
      return;
    }
    const isBlock = blockTags.has(tag);
    if (isBlock) buffer += '\n';
    if (tag === 'td' || tag === 'th') buffer += ' ';
    if (tag === 'img') {
      const alt = element.getAttribute('alt');
      if (alt) buffer += ` ${alt} `;
    }
    for (const child of element.childNodes) walk(child);
    if (isBlock || tag === 'p' || tag === 'li') buffer += '\n';
  };

  walk(root);
  flush();
  return sections;
}

/** Plain text of an HTML fragment (catalog descriptions often carry markup). */
export function htmlToPlainText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  return parseHtml(`<div>${html}</div>`)
    .map((section) => section.text)
    .join('\n\n');
}

