import { decodeHTML } from 'entities';

/** Readable text pulled out of an HTML page. */
export interface HtmlText {
  /** The document's `<title>`, if any. */
  title: string | undefined;
  /** The visible text, with headings (`#`), list items (`- `) and links (`[text](url)`) kept. */
  text: string;
}

/** Options of {@link htmlToText}. */
export interface HtmlToTextOptions {
  /** Resolves relative link targets. Without it, relative links are dropped. */
  baseUrl?: string | URL | undefined;
  /** Keep `http(s)` links as Markdown `[text](url)`. Default true. */
  links?: boolean | undefined;
}

/** Elements whose content is never visible text: skipped whole. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'button',
]);
const PARAGRAPH = new Set(['p', 'ul', 'ol', 'table', 'blockquote', 'pre', 'figure', 'dl', 'form', 'hr']);
const LINE = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'tr',
  'dt',
  'dd',
  'figcaption',
  'fieldset',
  'address',
  'details',
  'summary',
  'caption',
  'tbody',
  'thead',
]);
const VOID_TEXT: Record<string, string> = { br: '\n', hr: '\n' };

/**
 * Converts HTML to plain text in one linear pass: scripts, styles and other invisible elements
 * are dropped, tags removed, entities decoded (the full HTML5 table, via `entities`), whitespace
 * collapsed outside `<pre>`, and block structure kept as line breaks.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): HtmlText {
  const out = new TextBuilder();
  const keepLinks = options.links !== false;
  const base = toUrl(options.baseUrl);
  let title: string | undefined;
  let pre = 0;
  let link: string | undefined;
  let i = 0;
  // Where to look for the next "<": past any "<" that starts no tag (kept as text, in one piece).
  let from = 0;
  const length = html.length;

  while (i < length) {
    const lt = html.indexOf('<', from);
    if (lt === -1) {
      out.text(html.slice(i), pre > 0);
      break;
    }
    const next = html.charCodeAt(lt + 1);
    const closing = next === 47; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < length && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const markup = next === 33 /* ! */ || next === 63; /* ? */
    if (!markup && nameEnd === nameStart) {
      from = lt + 1;
      continue;
    }
    if (lt > i) out.text(html.slice(i, lt), pre > 0);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = from = end === -1 ? length : end + 3;
      continue;
    }
    if (markup) {
      const end = html.indexOf('>', lt);
      i = from = end === -1 ? length : end + 1;
      continue;
    }
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const tagEnd = findTagEnd(html, nameEnd);
    i = from = tagEnd;

    if (closing) {
      if (name === 'pre' && pre > 0) pre--;
      if (name === 'a' && link !== undefined) {
        out.raw(`](${link})`);
        link = undefined;
      }
      if (PARAGRAPH.has(name) || isHeading(name)) out.newlines(2);
      else if (LINE.has(name) || name === 'li') out.newlines(1);
      continue;
    }
    if (name === 'title' || SKIPPED.has(name)) {
      const end = findClosing(html, name, tagEnd);
      if (name === 'title' && title === undefined) {
        title = collapse(decodeHTML(html.slice(tagEnd, end.start))).trim() || undefined;
      }
      i = from = end.after;
      continue;
    }
    if (name in VOID_TEXT) out.raw(VOID_TEXT[name]!);
    if (PARAGRAPH.has(name)) out.newlines(2);
    else if (LINE.has(name)) out.newlines(1);
    if (isHeading(name)) {
      out.newlines(2);
      out.raw(`${'#'.repeat(Number(name[1]))} `);
    } else if (name === 'li') {
      out.newlines(1);
      out.raw('- ');
    } else if (name === 'td' || name === 'th') {
      out.cellSeparator();
    } else if (name === 'pre') {
      pre++;
    } else if (name === 'a' && keepLinks && link === undefined) {
      const href = attribute(html, nameEnd, tagEnd);
      const target = href === undefined ? undefined : resolveLink(decodeHTML(href), base);
      if (target !== undefined) {
        out.raw('[');
        link = target;
      }
    }
  }
  if (link !== undefined) out.raw(`](${link})`);
  return { title, text: out.finish() };
}

/** Accumulates output, collapsing whitespace and limiting blank lines to one. */
class TextBuilder {
  #parts: string[] = [];
  #pendingNewlines = 0;
  #pendingSpace = false;
  /** Newlines at the end of what was written so far (0, 1 or 2). */
  #trailingNewlines = 0;

  text(text: string, preformatted: boolean): void {
    const decoded = decodeHTML(text);
    if (preformatted) {
      this.raw(decoded);
      return;
    }
    const collapsed = collapse(decoded);
    if (collapsed === '') return;
    const leading = collapsed.startsWith(' ');
    const trailing = collapsed.length > 1 && collapsed.endsWith(' ');
    if (leading) this.#pendingSpace = true;
    this.raw(collapsed.slice(leading ? 1 : 0, trailing ? -1 : undefined));
    if (trailing) this.#pendingSpace = true;
  }

  raw(text: string): void {
    if (text === '') return;
    if (this.#parts.length > 0) {
      const missing = this.#pendingNewlines - this.#trailingNewlines;
      if (missing > 0) {
        this.#parts.push('\n'.repeat(missing));
        this.#trailingNewlines = this.#pendingNewlines;
      } else if (this.#pendingSpace && this.#pendingNewlines === 0 && this.#trailingNewlines === 0) {
        this.#parts.push(' ');
      }
    }
    this.#pendingNewlines = 0;
    this.#pendingSpace = false;
    this.#parts.push(text);
    let count = 0;
    while (count < 2 && count < text.length && text.charCodeAt(text.length - 1 - count) === 10) count++;
    this.#trailingNewlines = count === text.length ? Math.min(2, this.#trailingNewlines + count) : count;
  }

  newlines(count: number): void {
    this.#pendingNewlines = Math.max(this.#pendingNewlines, count);
    this.#pendingSpace = false;
  }

  cellSeparator(): void {
    if (this.#parts.length > 0 && this.#pendingNewlines === 0 && this.#trailingNewlines === 0) {
      this.#parts.push(' | ');
      this.#pendingSpace = false;
    }
  }

  finish(): string {
    return tidyLines(this.#parts.join('')).trim();
  }
}

/**
 * Drops spaces and tabs before each line break and keeps at most one blank line, in one pass.
 * (The regular expression `/[ \t]+\n/g` does the same in quadratic time: on a long run of spaces
 * not followed by a line break it rescans the run from every position, so a 100 KB `<pre>` of
 * spaces froze the event loop for seconds.)
 */
export function tidyLines(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let newlines = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9) {
      let end = i + 1;
      while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
      if (text.charCodeAt(end) === 10) {
        parts.push(text.slice(copied, i));
        copied = end;
      } else {
        newlines = 0;
      }
      i = end;
    } else if (code === 10) {
      if (++newlines > 2) {
        parts.push(text.slice(copied, i));
        copied = i + 1;
      }
      i++;
    } else {
      newlines = 0;
      i++;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ');
}

function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45
  );
}

function isHeading(name: string): boolean {
  return name.length === 2 && name[0] === 'h' && name[1]! >= '1' && name[1]! <= '6';
}

/** Index just past the `>` that ends a tag, skipping `>` inside quoted attribute values. */
function findTagEnd(html: string, from: number): number {
  let quote = 0;
  for (let i = from; i < html.length; i++) {
    const code = html.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === 62) {
      return i + 1;
    }
  }
  return html.length;
}

/** Where `</name` starts after `from`, and where its tag ends. Unclosed: the rest of the text. */
function findClosing(html: string, name: string, from: number): { start: number; after: number } {
  const pattern = new RegExp(`</${name}[\\s/>]`, 'gi');
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  if (!match) return { start: html.length, after: html.length };
  return { start: match.index, after: findTagEnd(html, match.index + 2 + name.length) };
}

const HREF = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

function attribute(html: string, from: number, to: number): string | undefined {
  const match = HREF.exec(html.slice(from, to));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function resolveLink(href: string, base: URL | undefined): string | undefined {
  if (href.startsWith('#')) return undefined;
  try {
    const url = base ? new URL(href, base) : new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function toUrl(value: string | URL | undefined): URL | undefined {
  if (value === undefined || value instanceof URL) return value;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
