import { createRequire } from 'node:module';
import type * as ECharts from 'echarts/types/dist/echarts';

// echarts' own entry types do not resolve under `nodenext`: load its CommonJS build, typed from its type bundle.
const { init } = createRequire(import.meta.url)('echarts') as typeof ECharts;
type EChartsOption = ECharts.EChartsOption;

export interface ChartDatum {
  label: string;
  value: number;
}

export interface ChartOptions {
  title: string;
  data: ChartDatum[];
  width?: number;
  height?: number;
  /** Values are shares in percent: the axis runs to 100 and labels carry a % sign. */
  percent?: boolean;
  /** Bars along the vertical axis (default: when there are more than six), with this much room for their labels. */
  horizontal?: boolean;
  labelWidth?: number;
}

const FONT = 'sans-serif';
const TEXT = { fontFamily: FONT, color: '#212529' };

/** Renders one chart to an SVG string on the server (no DOM, no canvas) and frees it. */
function render(option: EChartsOption, width: number, height: number, title: string): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: TEXT, ...option });
    return cleanSvg(chart.renderToSVGString(), title);
  } finally {
    chart.dispose();
  }
}

/** Bars, one per datum, with the value above each; long category lists are drawn horizontally. */
export function barChart(options: ChartOptions): string {
  const { title, data, percent = false } = options;
  const horizontal = options.horizontal ?? data.length > 6;
  const labelWidth = options.labelWidth ?? 110;
  const width = options.width ?? 520;
  const height = options.height ?? (horizontal ? Math.max(200, 70 + data.length * 30) : 260);
  const category = {
    type: 'category' as const, data: data.map((d) => d.label),
    axisLabel: { interval: 0, fontFamily: FONT, ...(horizontal ? { width: labelWidth - 12, overflow: 'break' as const } : {}) },
  };
  const value = { type: 'value' as const, max: percent ? 100 : undefined, axisLabel: { fontFamily: FONT, formatter: percent ? '{value}%' : '{value}' } };
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
    grid: { left: horizontal ? labelWidth : 48, right: 48, top: 44, bottom: 36, containLabel: false },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: [{
      type: 'bar', data: data.map((d) => d.value), barMaxWidth: 36,
      label: { show: true, position: horizontal ? 'right' : 'top', fontFamily: FONT, textBorderWidth: 0, formatter: percent ? '{c}%' : '{c}' },
    }],
  }, width, height, title);
}

/** A pie of shares with "name value (share%)" labels; zero slices are left out. */
export function pieChart(options: ChartOptions): string {
  const { title, data } = options;
  const width = options.width ?? 520;
  const height = options.height ?? 260;
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 14, fontFamily: FONT } },
    series: [{
      type: 'pie', percentPrecision: 1, radius: ['0%', '58%'], center: ['50%', '56%'],
      data: data.filter((d) => d.value > 0).map((d) => ({ name: d.label, value: d.value })),
      label: { fontFamily: FONT, textBorderWidth: 0, formatter: '{b} {c} ({d}%)' },
    }],
  }, width, height, title);
}

const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/g;

/**
 * Makes ECharts' SVG fit a page under a strict content-security policy and the PDF renderer:
 * inline styles become presentation attributes (style attributes and <style> elements are
 * refused by `style-src 'self'`), hover rules and ECharts' bookkeeping attributes go, text loses
 * its white halo (drawn over the glyphs by PDF renderers that ignore paint-order), and the chart
 * is labelled for screen readers and shrinks with a phone's screen (Bootstrap's img-fluid).
 */
export function cleanSvg(svg: string, title: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(STYLE_ATTRIBUTE, (_, css: string) => css.split(';').map((rule) => rule.trim()).filter(Boolean).map((rule) => {
      const at = rule.indexOf(':');
      const name = rule.slice(0, at).trim();
      const value = rule.slice(at + 1).trim().replace(/"/g, '&quot;');
      return /^[a-z-]+$/.test(name) ? ` ${name}="${value}"` : '';
    }).join(''))
    .replace(/\s(ecmeta_[a-z_]+|class)="[^"]*"/g, '')
    .replace(/<text\b[^>]*>/g, (tag) => tag.replace(/\s(stroke|stroke-width|paint-order|stroke-miterlimit)="[^"]*"/g, ''))
    .replace(/<svg\b/, `<svg role="img" class="img-fluid" aria-label="${escapeAttribute(title)}"`)
    .replace(/>\s*\n\s*</g, '><')
    .trim();
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
