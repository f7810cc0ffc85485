import { csvLine } from './spreadsheet.js';

describe('credit export CSV lines', () => {
  it('quotes what needs quoting, keeps numbers as numbers and ends lines with CRLF', () => {
    expect(csvLine(['310101199001011234', '张三', null, 12.5, -1, '说明,含逗号', '含"引号"'])).toBe('310101199001011234,张三,,12.5,-1,"说明,含逗号","含""引号"""\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1)\r\n`);
  });
});
