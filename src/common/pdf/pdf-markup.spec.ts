import { decodeEntities, parsePdfMarkup } from './pdf-markup.js';

describe('pdf markup', () => {
  it('reads headings, paragraphs with classes, rules and tables with header rows', () => {
    const blocks = parsePdfMarkup(`
      <doc>
        <h1>教师成长档案</h1>
        <p class="muted small">  表中为
          学分 </p>
        <table widths="1,3">
          <tr header><td>日期</td><td>名称</td></tr>
          <tr><td>2026-05-01</td><td>园本教研</td></tr>
        </table>
        <hr>
        <h2>学分记录</h2>
      </doc>`);
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: '教师成长档案' },
      { kind: 'paragraph', text: '表中为 学分', classes: ['muted', 'small'] },
      { kind: 'table', widths: [1, 3], rows: [{ header: true, cells: ['日期', '名称'] }, { header: false, cells: ['2026-05-01', '园本教研'] }] },
      { kind: 'rule' },
      { kind: 'heading', level: 2, text: '学分记录' },
    ]);
  });

  it('gives back what Handlebars escaped, so a title may hold any character', () => {
    expect(parsePdfMarkup('<p>A &amp; B &lt;i&gt; &quot;x&quot; &#x27;y&#x27; &#x60; &#x3D; &#20013;</p>')).toEqual([
      { kind: 'paragraph', text: 'A & B <i> "x" \'y\' ` = 中', classes: [] },
    ]);
    expect(decodeEntities('&unknown; &#0;')).toBe('&unknown; &#0;');
  });

  it('refuses tags it does not know and tags out of place (a template mistake, not data)', () => {
    expect(() => parsePdfMarkup('<div>x</div>')).toThrow('unknown tag <div>');
    expect(() => parsePdfMarkup('<p>a <b>b</b></p>')).toThrow('<b> inside <p>');
    expect(() => parsePdfMarkup('<td>x</td>')).toThrow('outside a row');
    expect(() => parsePdfMarkup('<table><tr><td>x</td></tr>')).toThrow('not closed');
  });

  it('reads QR codes with their size and the certificate text classes', () => {
    expect(parsePdfMarkup('<doc><p class="xlarge center gap">张&#19977;</p><qr size="64">https://example.org/verify/ABC</qr><qr>x</qr></doc>')).toEqual([
      { kind: 'paragraph', text: '张三', classes: ['xlarge', 'center', 'gap'] },
      { kind: 'qr', text: 'https://example.org/verify/ABC', size: 64 },
      { kind: 'qr', text: 'x', size: 80 },
    ]);
  });

  it('takes an <svg> drawing whole, whatever tags it holds', () => {
    const svg = '<svg width="100" height="50"><path d="M0 0L1 1"></path><text x="1">职称</text></svg>';
    expect(parsePdfMarkup(`<doc><h2>图</h2>${svg}<p>后</p></doc>`)).toEqual([
      { kind: 'heading', level: 2, text: '图' },
      { kind: 'svg', svg },
      { kind: 'paragraph', text: '后', classes: [] },
    ]);
    expect(() => parsePdfMarkup('<svg><path></path>')).toThrow('<svg> not closed');
  });
});
