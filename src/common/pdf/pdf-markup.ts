/**
 * The small block language that report templates (templates/reports/*.hbs) render to, and the
 * PDF renderer lays out. Handlebars escapes every value it prints, so the text between tags is
 * entity-decoded here and can hold anything a person typed.
 *
 *   <h1>…</h1> <h2>…</h2>          headings
 *   <p>…</p> <p class="muted">…</p> <p class="small">…</p> <p class="right">…</p>   paragraphs (classes combine)
 *   <p class="large center">…</p> <p class="xlarge">…</p> <p class="gap">…</p>       larger text, space above (certificates)
 *   <table widths="1,3,1"><tr header><td>…</td></tr><tr><td>…</td></tr></table>
 *   <hr>                            a thin rule
 *   <qr size="80">…</qr>            a QR code of the text, centred, `size` points wide
 *   <svg width="…" height="…">…</svg>   a drawing (e.g. a server-rendered chart), taken as is and scaled to the page width
 */
export type PdfBlock =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string; classes: string[] }
  | { kind: 'table'; widths: number[]; rows: PdfTableRow[] }
  | { kind: 'qr'; text: string; size: number }
  | { kind: 'svg'; svg: string }
  | { kind: 'rule' };

export interface PdfTableRow {
  header: boolean;
  cells: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Collapses the template's indentation and line breaks inside a text run to single spaces. */
function cleanText(raw: string): string {
  return decodeEntities(raw.replace(/\s+/g, ' ').trim());
}

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}(?:\\s*=\\s*"([^"]*)")?(?=\\s|$)`).exec(attrs.trim());
  return match ? decodeEntities(match[1] ?? '') : null;
}

const TAG = /<(\/?)([a-z0-9]+)([^>]*?)\/?>/gi;

/** Parses the markup into blocks; an unknown or misplaced tag is an error in the template, reported with its name. */
export function parsePdfMarkup(markup: string): PdfBlock[] {
  const blocks: PdfBlock[] = [];
  let open: { tag: string; attrs: string; start: number } | null = null;
  let table: { widths: number[]; rows: PdfTableRow[] } | null = null;
  let row: PdfTableRow | null = null;
  let match: RegExpExecArray | null;
  TAG.lastIndex = 0;
  while ((match = TAG.exec(markup))) {
    const [whole, slash, rawName, attrs] = match;
    const name = rawName.toLowerCase();
    const closing = slash === '/';
    if (open) {
      // Inside a text element only its own end tag counts.
      if (!closing || name !== open.tag) throw new Error(`pdf markup: <${name}> inside <${open.tag}>`);
      const text = cleanText(markup.slice(open.start, match.index));
      if (open.tag === 'td') row!.cells.push(text);
      else if (open.tag === 'qr') blocks.push({ kind: 'qr', text, size: Number(attribute(open.attrs, 'size')) || 80 });
      else if (open.tag === 'p') blocks.push({ kind: 'paragraph', text, classes: (attribute(open.attrs, 'class') ?? '').split(/\s+/).filter(Boolean) });
      else blocks.push({ kind: 'heading', level: open.tag === 'h1' ? 1 : 2, text });
      open = null;
      continue;
    }
    if (closing) {
      if (name === 'tr' && row && table) {
        table.rows.push(row);
        row = null;
      } else if (name === 'table' && table && !row) {
        blocks.push({ kind: 'table', ...table });
        table = null;
      } else if (name !== 'doc') {
        throw new Error(`pdf markup: unexpected </${name}>`);
      }
      continue;
    }
    switch (name) {
      case 'doc':
        break;
      case 'h1': case 'h2': case 'p': case 'qr':
        if (table) throw new Error(`pdf markup: <${name}> inside a table`);
        open = { tag: name, attrs, start: match.index + whole.length };
        break;
      case 'hr':
        blocks.push({ kind: 'rule' });
        break;
      case 'svg': {
        // The drawing is SVG, not block markup: everything up to its end tag is one block.
        if (table) throw new Error('pdf markup: <svg> inside a table');
        const end = markup.indexOf('</svg>', match.index);
        if (end < 0) throw new Error('pdf markup: <svg> not closed');
        blocks.push({ kind: 'svg', svg: markup.slice(match.index, end + '</svg>'.length) });
        TAG.lastIndex = end + '</svg>'.length;
        break;
      }
      case 'table': {
        const widths = (attribute(attrs, 'widths') ?? '').split(',').map(Number).filter((w) => w > 0);
        table = { widths, rows: [] };
        break;
      }
      case 'tr':
        if (!table || row) throw new Error('pdf markup: <tr> outside a table');
        row = { header: attribute(attrs, 'header') !== null, cells: [] };
        break;
      case 'td':
        if (!row) throw new Error('pdf markup: <td> outside a row');
        open = { tag: 'td', attrs, start: match.index + whole.length };
        break;
      default:
        throw new Error(`pdf markup: unknown tag <${name}>`);
    }
  }
  if (open || table) throw new Error(`pdf markup: <${open?.tag ?? 'table'}> not closed`);
  return blocks;
}
