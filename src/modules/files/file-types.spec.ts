import ExcelJS from 'exceljs';
import { compoundFile, isoMedia, mp3Frames, officeDocument, zipArchive } from '../../../test/support/file-samples.js';
import { servedType, sniffType, typeOfExtension, zipEntryNames } from './file-types.js';

describe('sniffType', () => {
  it('keeps recognising PDF, JPEG and PNG', () => {
    expect(sniffType(Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'))).toBe('application/pdf');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
  });

  it('recognises Word and PowerPoint files by the parts their archive names', () => {
    expect(sniffType(officeDocument('word'))).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffType(officeDocument('ppt'))).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(zipEntryNames(officeDocument('word'))).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
  });

  it('recognises a workbook written by exceljs (compressed, with data descriptors) as Excel', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('评分量规').addRows([['标准', '等级', '分值'], ['活动设计', '优秀', 10]]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(sniffType(bytes)).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('refuses archives that are not Office documents, macro documents and ambiguous ones', () => {
    expect(sniffType(zipArchive([['教案.txt', '不是文档'], ['照片/1.jpg', 'x']]))).toBeNull();
    expect(sniffType(zipArchive([['word/document.xml', '<w:document/>']]))).toBeNull();
    expect(sniffType(officeDocument('word', [['word/vbaProject.bin', 'Attribute VB_Name']]))).toBeNull();
    expect(sniffType(officeDocument('word', [['ppt/presentation.xml', '<p:presentation/>']]))).toBeNull();
    const truncated = officeDocument('word');
    expect(sniffType(truncated.subarray(0, truncated.length - 30))).toBeNull();
  });

  it('tells legacy Word, Excel and PowerPoint apart and refuses other compound files', () => {
    expect(sniffType(compoundFile('WordDocument'))).toBe('application/msword');
    expect(sniffType(compoundFile('Workbook'))).toBe('application/vnd.ms-excel');
    expect(sniffType(compoundFile('PowerPoint Document'))).toBe('application/vnd.ms-powerpoint');
    // An installer package is a compound file too.
    expect(sniffType(compoundFile('\u4840\u3b3f\u4577\u446c'))).toBeNull();
  });

  it('recognises MP4 and MOV video and M4A audio, but not HEIC photos', () => {
    expect(sniffType(isoMedia('isom'))).toBe('video/mp4');
    expect(sniffType(isoMedia('mp42'))).toBe('video/mp4');
    expect(sniffType(isoMedia('qt  '))).toBe('video/quicktime');
    expect(sniffType(isoMedia('M4A '))).toBe('audio/mp4');
    expect(sniffType(isoMedia('heic'))).toBeNull();
  });

  it('recognises MP3 by its ID3 tag or by two consecutive frames', () => {
    const id3 = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 10]), Buffer.alloc(10), mp3Frames(1)]);
    expect(sniffType(id3)).toBe('audio/mpeg');
    expect(sniffType(mp3Frames(3))).toBe('audio/mpeg');
    expect(sniffType(mp3Frames(1))).toBeNull();
    expect(sniffType(Buffer.concat([mp3Frames(1).subarray(0, 200), mp3Frames(1)]))).toBeNull();
  });

  it('refuses HTML (whatever it is named), SVG, executables and empty files', () => {
    expect(sniffType(Buffer.from('<!doctype html><html><script>alert(1)</script></html>'))).toBeNull();
    expect(sniffType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeNull();
    expect(sniffType(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0')]))).toBeNull();
    expect(sniffType(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
  });
});

describe('servedType and typeOfExtension', () => {
  it('serves known types as themselves and anything else as bytes, never as HTML', () => {
    expect(servedType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(servedType('video/mp4')).toBe('video/mp4');
    expect(servedType('text/html')).toBe('application/octet-stream');
    expect(servedType('image/svg+xml')).toBe('application/octet-stream');
  });

  it('answers the type for an extension as a teacher would write it', () => {
    expect(typeOfExtension('.DOCX')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(typeOfExtension('mov')).toBe('video/quicktime');
    expect(typeOfExtension('html')).toBeNull();
  });
});

describe('CSV recognition', () => {
  it('recognises CSV text in UTF-8 (with or without byte-order mark) and in GBK', () => {
    expect(sniffType(Buffer.from('姓名,身份证号\r\n张三,110101199003070011\r\n'))).toBe('text/csv');
    expect(sniffType(Buffer.from('\uFEFF姓名,性别\n李四,女\n'))).toBe('text/csv');
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd0, 0xd4, 0xb1, 0xf0, 0x0d, 0x0a]); // 姓名,性别
    expect(sniffType(gbk)).toBe('text/csv');
    expect(servedType('text/csv')).toBe('text/csv');
    expect(typeOfExtension('.CSV')).toBe('text/csv');
  });

  it('refuses text with NUL or control bytes, markup anywhere, and bytes that are no text encoding', () => {
    expect(sniffType(Buffer.from('姓名\0,x\n'))).toBeNull();
    expect(sniffType(Buffer.from('name\x1b[31m,x\n'))).toBeNull();
    expect(sniffType(Buffer.from('姓名,备注\n张三,"<script>alert(1)</script>"\n'))).toBeNull();
    expect(sniffType(Buffer.from('  <table><tr><td>1</td></tr></table>'))).toBeNull();
    expect(sniffType(Buffer.from([0x41, 0x2c, 0x80, 0xff, 0x0a]))).toBeNull();
  });
});
