import { describe, expect, it } from 'vitest';
import { htmlToText, tidyLines } from './html-to-text.js';

describe('htmlToText', () => {
  it('drops scripts, styles, comments and other invisible elements', () => {
    const html = `<!doctype html><html><head><title>T</title><style>body{color:red}</style>
      <script>alert("<p>not text</p>")</script></head>
      <body><!-- <p>hidden</p> --><p>Visible</p><noscript>enable js</noscript>
      <SCRIPT type="module">const x = '</p>';</SCRIPT><template><p>tpl</p></template>
      <svg><text>svg text</text></svg><p>End</p></body></html>`;
    expect(htmlToText(html).text).toBe('Visible\n\nEnd');
  });

  it('takes the title and decodes entities, named and numeric', () => {
    const result = htmlToText(
      '<title>Caf&eacute; &amp; Bar</title><p>5 &lt; 6 &gt; 4 &quot;q&quot; &#39;s&#x27; &copy; &hellip; &zzunknown;</p>',
    );
    expect(result.title).toBe('Café & Bar');
    expect(result.text).toBe('5 < 6 > 4 "q" \'s\' © … &zzunknown;');
  });

  it('keeps block structure: paragraphs, line breaks, headings, lists, table cells', () => {
    const html = `<h1>Title</h1><p>First
        paragraph   here.</p><p>Second<br>line</p>
      <ul><li>one</li><li>two <b>bold</b></li></ul>
      <table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
      <h2>Sub</h2><div>div text</div>`;
    expect(htmlToText(html).text).toBe(
      '# Title\n\nFirst paragraph here.\n\nSecond\nline\n\n- one\n- two bold\n\na | b\n1 | 2\n\n## Sub\n\ndiv text',
    );
  });

  it('keeps whitespace inside <pre>', () => {
    expect(htmlToText('<p>x</p><pre>  a\n    b &amp; c</pre><p>y</p>').text).toBe('x\n\n  a\n    b & c\n\ny');
  });

  it('keeps inline spacing between inline elements', () => {
    expect(htmlToText('<p>Hello <em>big</em> <strong>world</strong>!</p>').text).toBe('Hello big world!');
    expect(htmlToText('<span>a</span><span>b</span>').text).toBe('ab');
  });

  it('writes http(s) links as Markdown, resolved against the base URL', () => {
    const html =
      '<p>See <a href="/docs?a=1&amp;b=2">the docs</a>, <a href=\'https://x.example/\'>x</a>, <a href="javascript:alert(1)">bad</a> and <a href="#top">top</a>.</p>';
    expect(htmlToText(html, { baseUrl: 'https://site.example/page' }).text).toBe(
      'See [the docs](https://site.example/docs?a=1&b=2), [x](https://x.example/), bad and top.',
    );
    expect(htmlToText(html, { baseUrl: 'https://site.example/', links: false }).text).toBe(
      'See the docs, x, bad and top.',
    );
  });

  it('survives broken markup: stray <, unclosed tags and quoted >', () => {
    expect(htmlToText('a < b and <p class="x>y">c').text).toBe('a < b and\n\nc');
    expect(htmlToText('<p>unclosed <script>never closed <p>x').text).toBe('unclosed');
    expect(htmlToText('text <!-- unclosed comment').text).toBe('text');
  });

  it('handles a large document in one pass', () => {
    const html = `<div>${'<p>word &amp; word</p>'.repeat(20_000)}</div>`;
    const text = htmlToText(html).text;
    expect(text.split('\n\n')).toHaveLength(20_000);
  });
});

// Hostile pages: each input is 1 MB and must be converted in linear time (the bench's
// "hostile input" scenario records the times; tests check the results only).
describe('htmlToText on 1 MB hostile input', () => {
  const MB = 1_000_000;

  it('a <pre> of spaces (the old trailing-blank regex was quadratic here)', () => {
    expect(htmlToText(`<pre>${' '.repeat(MB)}x</pre>`).text).toBe('x');
    expect(htmlToText(`<pre>a${' \t'.repeat(MB / 2)}\nb</pre>`).text).toBe('a\nb');
    expect(htmlToText(`<pre>a${' \n'.repeat(MB / 2)}b</pre>`).text).toBe('a\n\nb');
  });

  it('tags, entities and attributes repeated a million times', () => {
    expect(htmlToText('<'.repeat(MB)).text).toBe('<'.repeat(MB));
    expect(htmlToText('</'.repeat(MB / 2)).text).toBe('</'.repeat(MB / 2));
    expect(htmlToText(`<a href=${' '.repeat(MB)}>x</a>`).text).toBe('x');
    expect(htmlToText(`<p>${'&'.repeat(MB)}</p>`).text).toBe('&'.repeat(MB));
    expect(htmlToText(`<title>${'<title>'.repeat(MB / 7)}`).title).toBeDefined();
    expect(htmlToText(`<p>a${' \t'.repeat(MB / 2)}b</p>`).text).toBe('a b');
  });
});

describe('tidyLines', () => {
  it('drops blanks before line breaks and keeps at most one blank line', () => {
    expect(tidyLines('a  \t\nb\n\n\n\nc \n \n \nd  e')).toBe('a\nb\n\nc\n\nd  e');
  });
});
