import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { PageQuery, pageLinks } from '../../common/pagination.js';
import { translate } from '../../common/i18n/i18n.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends PageQuery {
  @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @IsOptional() @IsString() @MaxLength(100) entityId?: string;
}

/** District admins read the audit entries of the districts they administer. */
function districtScope(access: AccessContext): string[] | 'all' {
  const districts = access.grants.filter((g) => g.role === 'district_admin');
  // A grant at city level (path depth 1) reaches every district below it.
  if (districts.some((g) => g.orgPaths.some((p) => p.split('/').filter(Boolean).length === 1))) return 'all';
  return districts.flatMap((g) => g.orgPaths.map((p) => p.split('/').filter(Boolean)[1])).filter(Boolean);
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('api/audit')
  @Authorize('audit.read')
  async list(@Access() access: AccessContext, @Query() query: AuditQueryDto) {
    const { items, total } = await this.audit.list({ districtIds: districtScope(access), ...query });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  @Get('audit')
  @Authorize('audit.read')
  async page(@Access() access: AccessContext, @Query() query: AuditQueryDto, @Req() req: Request, @Res() res: Response) {
    const { items, total } = await this.audit.list({ districtIds: districtScope(access), ...query });
    res.render('pages/audit/list', {
      title: translate(req.locale, 'audit.title'),
      items: items.map((i) => ({ ...i, before: JSON.stringify(i.before), after: JSON.stringify(i.after) })),
      filters: { entityType: query.entityType ?? '', entityId: query.entityId ?? '' },
      pager: pageLinks('/audit', { ...query }, total, query.page, query.pageSize),
    });
  }
}
