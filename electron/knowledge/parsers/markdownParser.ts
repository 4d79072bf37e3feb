import { marked, type Token, type Tokens } from 'marked';
import type { ParsedSection } from './parsedFile.js';
import { tidyWhitespace } from './textDecoding.js';

/** Splits Markdown into sections by heading, with the text stripped of Markdown syntax. */
export function parseMarkdown(markdown: string): ParsedSection[] {
  const sections: ParsedSection[] = [];
  const headings: { level: number; text: string }[] = [];
  let buffer: string[] = [];

  const flush = () => {
    const text = tidyWhitespace(buffer.join('\n\n'));
    buffer = [];
    if (!text) return;
    const headingPath = headings.map((heading) => heading.text);
    sections.push(headingPath.length > 0 ? { text, headingPath } : { text });
  };

  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading') {
      flush();
      const heading = token as Tokens.Heading;
      const text = plainInline(heading.tokens).trim();
      while (headings.length > 0 && headings[headings.length - 1]!.level >= heading.depth) headings.pop();
      if (text) {
        headings.push({ level: heading.depth, text });
        buffer.push(text);
      }
      continue;
    }
    const text = plainBlock(token);
    if (text.trim()) buffer.push(text);
  }
  flush();
  return sections;
}

function plainBlock(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return 'tokens' in token && token.tokens ? plainInline(token.tokens) : (token as Tokens.Text).text;
    case 'list':
      return (token as Tokens.List).items.map((item) => `- ${item.tokens.map(plainBlock).join(' ')}`).join('\n');
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.map(plainBlock).join('\n');
    case 'code':
      return (token as Tokens.Code).text;
    case 'table': {
      const table = token as Tokens.Table;
      const line = (cells: Tokens.TableCell[]) => cells.map((cell) => plainInline(cell.tokens)).join(' | ');
      return [line(table.header), ...table.rows.map(line)].join('\n');
    }
    case 'html':
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, ' ');
    case 'space':
    case 'hr':
      return '';
    default:
      return 'raw' in token ? String(token.raw) : '';
  }
}

function plainInline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      if ('tokens' in token && token.tokens && token.type !== 'codespan') return plainInline(token.tokens);
      if (token.type === 'image') return (token as Tokens.Image).text;
      if (token.type === 'br') return '\n';
      if (token.type === 'html') return '';
      return 'text' in token ? decodeBasicEntities(String(token.text)) : '';
    })
    .join('');
}

function decodeBasicEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}
