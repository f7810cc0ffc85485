import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { CourseLevel, CourseMode, CourseStatus, CreditCategory } from './catalog.entities.js';

export interface CourseListFilter {
  /** Subtrees where the caller manages courses; a course is in when its owner is. */
  scopePaths: string[];
  q?: string;
  category?: CreditCategory;
  level?: CourseLevel;
  mode?: CourseMode;
  status?: CourseStatus;
  tag?: string;
  page: number;
  pageSize: number;
}

export interface CourseListItem {
  id: string;
  code: string;
  title: string;
  provider: string;
  category: CreditCategory;
  tags: string[];
  level: CourseLevel;
  mode: CourseMode;
  hours: number;
  credits: number;
  status: CourseStatus;
  ownerOrgUnitId: string;
  ownerName: string;
  offeringCount: number;
  updatedAt: Date;
}

/** The managed course list: plain parameterised SQL. */
@Injectable()
export class CourseQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: CourseListFilter): Promise<{ items: CourseListItem[]; total: number }> {
    if (!filter.scopePaths.length) return { items: [], total: 0 };
    const params: unknown[] = [prefixPatterns(filter.scopePaths)];
    const add = (value: unknown) => `$${params.push(value)}`;
    const where = ['ow.path LIKE ANY($1::text[])'];
    if (filter.q?.trim()) {
      const pattern = add(`%${filter.q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(`(c.title ILIKE ${pattern} OR c.code ILIKE ${pattern} OR c.provider ILIKE ${pattern} OR array_to_string(c.tags, ' ') ILIKE ${pattern})`);
    }
    if (filter.category) where.push(`c.category = ${add(filter.category)}`);
    if (filter.level) where.push(`c.level = ${add(filter.level)}`);
    if (filter.mode) where.push(`c.mode = ${add(filter.mode)}`);
    if (filter.status) where.push(`c.status = ${add(filter.status)}`);
    if (filter.tag?.trim()) where.push(`c.tags @> ARRAY[${add(filter.tag.trim())}::text]`);
    const from = `FROM course c JOIN org_unit ow ON ow.id = c.owner_org_unit_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, params);
    const items: CourseListItem[] = await this.db.query(
      `SELECT c.id, c.code, c.title, c.provider, c.category, c.tags, c.level, c.mode, c.hours::float AS hours, c.credits::float AS credits,
              c.status, ow.id AS "ownerOrgUnitId", ow.name AS "ownerName", c.updated_at AS "updatedAt",
              (SELECT count(*) FROM offering o WHERE o.course_id = c.id)::int AS "offeringCount"
         ${from}
        ORDER BY array_position(ARRAY['draft', 'published', 'archived'], c.status), c.code
        LIMIT ${add(filter.pageSize)} OFFSET ${add((filter.page - 1) * filter.pageSize)}`, params);
    return { items, total };
  }
}
