import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `?page=&pageSize=&q=` on every list. */
export class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page: number = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize: number = 25;
  @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export interface PageResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Links for the pagination partial, keeping the current filters. */
export function pageLinks(path: string, query: Record<string, unknown>, total: number, page: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (target: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '' && key !== 'page') params.set(key, String(value));
    }
    params.set('page', String(target));
    return `${path}?${params.toString()}`;
  };
  return { total, page, pages, prev: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null };
}
