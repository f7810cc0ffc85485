import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import SVGtoPDF from 'svg-to-pdfkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PdfBlock, PdfTableRow } from './pdf-markup.js';

/**
 * Noto Sans SC from an npm package (not the system's fonts), so a machine without CJK fonts
 * renders Chinese too. pdfkit embeds only the glyphs a document uses (a subset of a few KB).
 */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

let fonts: Record<keyof typeof FONT_FILES, Font> | null = null;

/**
 * Read and parsed once per process (about 10 MB each), and shared by every document: pdfkit takes a parsed
 * font as it is. Given the file's bytes it parsed the font again for each document, and decoding its tables
 * (glyph locations and metrics of 30,000 glyphs) was most of a certificate's rendering time. Each document
 * still embeds its own subset.
 */
function loadFonts(): Record<keyof typeof FONT_FILES, Font> {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const parse = (file: string) => parseFont(readFileSync(require.resolve(file))) as Font;
    fonts = { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
  }
  return fonts;
}

export interface PdfInfo {
  title: string;
  author: string;
  /** A4 on its side (certificates). */
  landscape?: boolean;
  /** A double border around every page (certificates). */
  frame?: boolean;
}

const MARGIN = 48;
const BODY = 10;
const CELL_PAD = 4;
const INK = '#212529';
const MUTED = '#6c757d';
const LINE = '#adb5bd';
const HEADER_FILL = '#e9ecef';
const FRAME = '#8a6d3b';

/** Lays the blocks out on A4 pages with the embedded Chinese font, and answers the PDF's bytes. */
export function renderPdf(blocks: PdfBlock[], info: PdfInfo): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4', layout: info.landscape ? 'landscape' : 'portrait', margin: info.frame ? MARGIN * 1.5 : MARGIN,
    info: { Title: info.title, Author: info.author, Creator: info.author }, lang: 'zh-CN',
  });
  // pdfkit accepts a parsed font (its types know only paths and bytes).
  doc.registerFont('body', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (info.frame) {
    drawFrame(doc);
    doc.on('pageAdded', () => drawFrame(doc));
  }
  doc.font('body').fontSize(BODY).fillColor(INK);
  for (const block of blocks) drawBlock(doc, block);
  doc.end();
  return done;
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

function drawBlock(doc: PDFKit.PDFDocument, block: PdfBlock): void {
  const left = doc.page.margins.left;
  switch (block.kind) {
    case 'heading':
      doc.moveDown(block.level === 1 ? 0 : 0.6);
      doc.font('bold').fontSize(block.level === 1 ? 18 : 13).fillColor(INK)
        .text(block.text, left, doc.y, { width: contentWidth(doc), align: block.level === 1 ? 'center' : 'left' });
      doc.moveDown(0.3);
      break;
    case 'paragraph': {
      const has = (name: string) => block.classes.includes(name);
      const size = has('xlarge') ? 22 : has('large') ? 14 : has('small') || has('muted') ? 8.5 : BODY;
      if (has('gap')) doc.moveDown(1);
      doc.font(has('bold') ? 'bold' : 'body').fontSize(size).fillColor(block.classes.includes('muted') ? MUTED : INK)
        .text(block.text, left, doc.y, { width: contentWidth(doc), align: block.classes.includes('right') ? 'right' : block.classes.includes('center') ? 'center' : 'left', lineGap: 2 });
      doc.moveDown(0.2);
      break;
    }
    case 'rule':
      doc.moveDown(0.3);
      doc.moveTo(left, doc.y).lineTo(left + contentWidth(doc), doc.y).lineWidth(0.5).strokeColor(LINE).stroke();
      doc.moveDown(0.3);
      break;
    case 'table':
      drawTable(doc, block.widths, block.rows);
      break;
    case 'qr':
      drawQr(doc, block.text, block.size);
      break;
    case 'svg':
      drawSvg(doc, block.svg);
      break;
  }
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  const inset = MARGIN / 2;
  const { width, height } = doc.page;
  doc.save().lineWidth(2).strokeColor(FRAME).rect(inset, inset, width - 2 * inset, height - 2 * inset).stroke()
    .lineWidth(0.5).rect(inset + 5, inset + 5, width - 2 * inset - 10, height - 2 * inset - 10).stroke().restore();
}

/** The QR code drawn as vector squares (sharp at any zoom), centred on the line. */
function drawQr(doc: PDFKit.PDFDocument, text: string, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cell = size / modules.size;
  if (doc.y + size > bottom(doc)) doc.addPage();
  const x0 = doc.page.margins.left + (contentWidth(doc) - size) / 2;
  const y0 = doc.y + 4;
  doc.save().fillColor(INK);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x0 + col * cell, y0 + row * cell, cell, cell);
    }
  }
  doc.fill().restore();
  doc.x = doc.page.margins.left;
  doc.y = y0 + size + 4;
}

/**
 * An SVG drawing as vectors, centred and shrunk to the page width when wider, kept whole on one
 * page. Its text is set in the embedded font whatever family it names, so Chinese labels show.
 */
function drawSvg(doc: PDFKit.PDFDocument, svg: string): void {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const size = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)`).exec(root)?.[1]) || 0;
  const natural = { width: size('width') || contentWidth(doc), height: size('height') || 200 };
  const scale = Math.min(1, contentWidth(doc) / natural.width);
  const width = natural.width * scale;
  const height = natural.height * scale;
  if (doc.y + height > bottom(doc)) doc.addPage();
  const x = doc.page.margins.left + (contentWidth(doc) - width) / 2;
  const y = doc.y + 4;
  SVGtoPDF(doc, svg, x, y, {
    width, height, assumePt: true, preserveAspectRatio: 'xMidYMid meet',
    fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'body'),
    warningCallback: () => undefined,
  });
  doc.font('body').fontSize(BODY).fillColor(INK);
  doc.x = doc.page.margins.left;
  doc.y = y + height + 6;
}

/** Rows break across pages whole; the header rows are repeated at the top of each new page. */
function drawTable(doc: PDFKit.PDFDocument, widthShares: number[], rows: PdfTableRow[]): void {
  const columns = Math.max(1, ...rows.map((r) => r.cells.length));
  const shares = Array.from({ length: columns }, (_, i) => widthShares[i] ?? 1);
  const total = shares.reduce((a, b) => a + b, 0);
  const widths = shares.map((s) => (s / total) * contentWidth(doc));
  const headers = rows.filter((r) => r.header);
  doc.moveDown(0.2);
  let y = doc.y;
  const drawRow = (row: PdfTableRow) => {
    doc.font(row.header ? 'bold' : 'body').fontSize(9);
    const height = Math.max(...row.cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * CELL_PAD }))) + 2 * CELL_PAD;
    if (y + height > bottom(doc)) {
      doc.addPage();
      y = doc.page.margins.top;
      if (!row.header) for (const header of headers) drawRow(header);
      doc.font(row.header ? 'bold' : 'body').fontSize(9);
    }
    let x = doc.page.margins.left;
    row.cells.forEach((cell, i) => {
      if (row.header) doc.rect(x, y, widths[i], height).fill(HEADER_FILL);
      doc.rect(x, y, widths[i], height).lineWidth(0.5).strokeColor(LINE).stroke();
      doc.fillColor(INK).text(cell, x + CELL_PAD, y + CELL_PAD, { width: widths[i] - 2 * CELL_PAD });
      x += widths[i];
    });
    y += height;
  };
  for (const row of rows) drawRow(row);
  doc.x = doc.page.margins.left;
  doc.y = y;
  doc.moveDown(0.5);
}
