import { barChart, cleanSvg, pieChart } from './blue-book-charts.js';

describe('blue book charts', () => {
  it('draws a bar chart as self-contained SVG with the Chinese labels and values', () => {
    const svg = barChart({ title: '职称结构', data: [{ label: '一级', value: 427 }, { label: '高级', value: 110 }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('aria-label="职称结构"');
    expect(svg).toContain('>一级<');
    expect(svg).toContain('>427<');
    expect(svg).toContain('>110<');
    expect(svg).not.toMatch(/style=|<style|ecmeta_|zr\d/);
    expect(svg).toContain('font-family="sans-serif"');
  });

  it('draws many categories horizontally and percent axes to 100', () => {
    const data = Array.from({ length: 8 }, (_, i) => ({ label: `园${i}`, value: i * 10 }));
    const svg = barChart({ title: 'x', data, percent: true });
    expect(svg).toContain('>70%<');
    expect(svg).toContain('>100%<');
  });

  it('leaves zero slices out of a pie and labels the others with their share', () => {
    const svg = pieChart({ title: '办园性质', data: [{ label: '公办', value: 3 }, { label: '民办', value: 1 }, { label: '其他', value: 0 }] });
    expect(svg).toContain('公办 3 (75%)');
    expect(svg).toContain('民办 1 (25%)');
    expect(svg).not.toContain('其他');
  });

  it('escapes labels taken from the record', () => {
    const svg = barChart({ title: 'A & "B"', data: [{ label: '<b>&', value: 1 }] });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('aria-label="A &amp; &quot;B&quot;"');
  });

  it('turns inline styles into attributes and drops text halos', () => {
    const raw = '<svg width="1"><text style="font-size:12px;font-family:sans-serif;" stroke="#fff" stroke-width="2" paint-order="stroke" fill="#333">字</text><style>.a{}</style></svg>';
    expect(cleanSvg(raw, 't')).toBe('<svg role="img" class="img-fluid" aria-label="t" width="1"><text font-size="12px" font-family="sans-serif" fill="#333">字</text></svg>');
  });
});
