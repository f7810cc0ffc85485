import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { CatalogQueryDto } from './catalog.dto.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  /** Published offerings that reach the caller, with seats and, for a person, whether they may enrol and why not. */
  @Get()
  @Authorize('signed_in')
  browse(@Access() access: AccessContext, @Query() query: CatalogQueryDto) {
    return this.catalog.browse(access, query);
  }
}
