import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { CatalogQueryDto } from './catalog.dto.js';
import { CatalogService } from './catalog.service.js';
import { CATALOG_CHOICES } from './catalog-choices.service.js';
import { catalogCard } from './catalog-views.js';

/** The learner's catalog page: filters, and a card per offering with seats and why the reader may not enrol. */
@ApiExcludeController()
@Controller('catalog')
export class CatalogPagesController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Authorize('signed_in')
  async browse(@Access() access: AccessContext, @Query() query: CatalogQueryDto, @Req() req: Request, @Res() res: Response) {
    query.pageSize = Math.min(query.pageSize, 24);
    const result = await this.catalog.browse(access, query);
    res.render('pages/catalog/list', {
      title: translate(req.locale, 'catalog.browse.title'),
      items: result.items.map(catalogCard),
      filters: {
        q: query.q ?? '', category: query.category ?? '', level: query.level ?? '', mode: query.mode ?? '', tag: query.tag ?? '',
        from: query.from ?? '', to: query.to ?? '', eligible: query.eligible === 'true' || query.eligible === 'on',
      },
      hasPerson: access.personId !== null,
      choices: CATALOG_CHOICES,
      pager: pageLinks('/catalog', { ...query, lang: undefined }, result.total, result.page, result.pageSize),
    });
  }
}
