import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { OrgUnitListQuery } from '../org/org.dto.js';
import { OrgService, type OrgUnitListItem } from '../org/org.service.js';
import { PeopleListQueryDto } from '../people/people.dto.js';
import type { PersonListItem } from '../people/people.query.js';
import { PeopleService } from '../people/people.service.js';
import { StageDefinitionsService } from '../people/stage-definitions.service.js';
import { EXPORT_PAGE_SIZE, mapBatches, pages, type ExportColumn, type ExportSource, type OpenedExport } from './export-kinds.js';

const column = (locale: Locale, key: string, width: number, sensitive?: ExportColumn['sensitive']): ExportColumn =>
  ({ header: translate(locale, `exports.col.${key}`), width, ...(sensitive ? { sensitive } : {}) });
const valueText = (locale: Locale, prefix: string, value: string | null | undefined) =>
  (value === null || value === undefined || value === '' ? '' : translate(locale, `${prefix}${value}`));
const fileName = (locale: Locale, kind: string) => `${translate(locale, `exports.kind.${kind}`)}-${shanghaiDate()}`;

/** The staff list (/people, GET /api/people): the same search, filters and people.read scope; national ID and phone are sensitive. */
@Injectable()
export class PeopleExportSource implements ExportSource<PeopleListQueryDto> {
  readonly kind = 'people' as const;
  readonly permission = 'people.read' as const;
  readonly filters = PeopleListQueryDto;

  constructor(private readonly people: PeopleService, private readonly stages: StageDefinitionsService) {}

  async open(access: AccessContext, filters: PeopleListQueryDto, locale: Locale): Promise<OpenedExport> {
    const fetch = (page: number) => this.people.search(access, Object.assign(new PeopleListQueryDto(), filters, { page, pageSize: EXPORT_PAGE_SIZE }));
    const [first, stages] = await Promise.all([fetch(1), this.stages.list(undefined, true)]);
    const names = new Map(stages.map((s) => [`${s.kind}:${s.code}`, locale === 'en' ? s.nameEn : s.nameZh]));
    const stage = (kind: string, code: string | null) => (code ? names.get(`${kind}:${code}`) ?? code : '');
    const row = (p: PersonListItem) => ({
      personId: p.id,
      cells: [
        p.fullName, valueText(locale, 'people.gender.', p.gender), p.birthDate, p.kindergartenName ?? '',
        valueText(locale, 'people.post.', p.post), valueText(locale, 'people.title.', p.title),
        stage('teacher', p.teacherStage), stage('principal', p.principalStage), p.nationalIdMasked, p.phoneMasked ?? '',
      ],
    });
    return {
      total: first.total,
      fileName: fileName(locale, 'people'),
      columns: [
        column(locale, 'fullName', 10), column(locale, 'gender', 6), column(locale, 'birthDate', 12), column(locale, 'kindergarten', 30),
        column(locale, 'post', 10), column(locale, 'title', 8), column(locale, 'teacherStage', 10), column(locale, 'principalStage', 10),
        column(locale, 'nationalId', 21, 'nationalId'), column(locale, 'phone', 14, 'phone'),
      ],
      batches: () => mapBatches(pages(first.items, async (page) => (await fetch(page)).items), row),
    };
  }
}

/** The org list (/org, GET /api/org-units): kindergartens and the other units in org.read scope, with the page's filters. */
@Injectable()
export class KindergartensExportSource implements ExportSource<OrgUnitListQuery> {
  readonly kind = 'kindergartens' as const;
  readonly permission = 'org.read' as const;
  readonly filters = OrgUnitListQuery;

  constructor(private readonly org: OrgService) {}

  async open(access: AccessContext, query: OrgUnitListQuery, locale: Locale): Promise<OpenedExport> {
    const { page: _page, pageSize: _size, lang: _lang, ...filters } = query;
    const fetch = (page: number) => this.org.list(access, filters, page, EXPORT_PAGE_SIZE);
    const first = await fetch(1);
    const yesNo = (value: boolean | null) => (value === null ? '' : translate(locale, value ? 'exports.value.yes' : 'exports.value.no'));
    const row = (u: OrgUnitListItem) => ({
      cells: [
        u.code, u.name, valueText(locale, 'org.kind.', u.kind), u.parentName ?? '', valueText(locale, 'org.ownership.', u.ownership),
        yesNo(u.inclusive), valueText(locale, 'org.grade.', u.grade), valueText(locale, 'org.status.', u.status),
        u.foundedYear, u.kindergartenClasses, u.nurseryClasses, u.childrenEnrolled, u.address ?? '',
      ],
    });
    return {
      total: first.total,
      fileName: fileName(locale, 'kindergartens'),
      columns: [
        column(locale, 'code', 14), column(locale, 'name', 30), column(locale, 'unitKind', 8), column(locale, 'parent', 20),
        column(locale, 'ownership', 8), column(locale, 'inclusive', 8), column(locale, 'grade', 12), column(locale, 'status', 8),
        column(locale, 'foundedYear', 10), column(locale, 'kindergartenClasses', 8), column(locale, 'nurseryClasses', 8),
        column(locale, 'childrenEnrolled', 10), column(locale, 'address', 36),
      ],
      batches: () => mapBatches(pages(first.items, async (page) => (await fetch(page)).items), row),
    };
  }
}
