import { ValidationFailed } from '../../common/errors.js';
import { PeopleListQueryDto } from '../people/people.dto.js';
import { readFilters } from './export-filters.js';
import { attachment } from './export-http.js';
import { EXPORT_PAGE_SIZE, inBatches, pages } from './export-kinds.js';
import { filtersText } from './export-views.js';

const UUID = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('export filters', () => {
  it('keeps the list\'s filters only, drops paging, format and blanks, sorts keys and lower-cases ids', async () => {
    const { params } = await readFilters(PeopleListQueryDto, { title: 'senior', format: 'xlsx', page: '4', pageSize: '10', orgUnitId: UUID, post: '', lang: 'en', _csrf: 'x' });
    expect(params).toEqual({ orgUnitId: UUID.toLowerCase(), title: 'senior' });
    expect(Object.keys(params)).toEqual(['orgUnitId', 'title']);
  });

  it('refuses unknown, bad and repeated filters, naming each field', async () => {
    const fields = async (raw: Record<string, unknown>) => {
      try {
        await readFilters(PeopleListQueryDto, raw);
        return [];
      } catch (error) {
        return (error as ValidationFailed).problems.map((p) => p.field).sort();
      }
    };
    expect(await fields({ post: 'astronaut', colour: 'red' })).toEqual(['colour', 'post']);
    expect(await fields({ title: ['senior', 'first'] })).toEqual(['title']);
    expect(await fields({ q: '张' })).toEqual([]);
  });
});

describe('export paging and naming', () => {
  it('walks a paged list until a short page, without asking past the end', async () => {
    const asked: number[] = [];
    const full = Array.from({ length: EXPORT_PAGE_SIZE }, (_, i) => i);
    const batches = await collect(pages(full, async (page) => {
      asked.push(page);
      return page === 2 ? full : [1, 2, 3];
    }));
    expect(asked).toEqual([2, 3]);
    expect(batches.map((b) => b.length)).toEqual([EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE, 3]);
    expect(await collect(pages([], async () => { throw new Error('not asked'); }))).toEqual([]);
    expect((await collect(inBatches(Array.from({ length: EXPORT_PAGE_SIZE + 1 })))).map((b) => b.length)).toEqual([EXPORT_PAGE_SIZE, 1]);
  });

  it('names the download in UTF-8 with an ASCII fallback, quotes and separators removed', () => {
    expect(attachment('教职工名单-2026-05-01.xlsx')).toBe(
      `attachment; filename="_____-2026-05-01.xlsx"; filename*=UTF-8''%E6%95%99%E8%81%8C%E5%B7%A5%E5%90%8D%E5%8D%95-2026-05-01.xlsx`);
    expect(attachment('a"b;c\'(d).csv')).toBe(`attachment; filename="a_b_c'(d).csv"; filename*=UTF-8''a%22b%3Bc%27%28d%29.csv`);
  });

  it('describes a job\'s filters in the reader\'s language, ids shortened', () => {
    expect(filtersText({ orgUnitId: UUID.toLowerCase(), post: 'teacher' }, 'zh-CN')).toBe('园所: 3f2504e0…；岗位: teacher');
    expect(filtersText({}, 'en')).toBe('All');
  });
});
