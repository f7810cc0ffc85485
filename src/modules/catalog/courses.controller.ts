import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CatalogService } from './catalog.service.js';
import { CourseListQueryDto, CreateCourseDto, UpdateCourseDto } from './course.dto.js';
import { CourseService } from './course.service.js';
import { CreateOfferingDto } from './offering.dto.js';
import { OfferingService } from './offering.service.js';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/courses')
export class CoursesController {
  constructor(private readonly courses: CourseService, private readonly offerings: OfferingService, private readonly catalog: CatalogService) {}

  @Get()
  @Authorize('catalog.manage')
  list(@Access() access: AccessContext, @Query() query: CourseListQueryDto) {
    return this.courses.list(access, query);
  }

  @Post()
  @Authorize('catalog.manage')
  create(@Access() access: AccessContext, @Body() body: CreateCourseDto) {
    return this.courses.create(access, body);
  }

  @Get(':id')
  @Authorize('catalog.manage')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.courses.get(access, id);
  }

  @Patch(':id')
  @Authorize('catalog.manage')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateCourseDto) {
    return this.courses.update(access, id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Authorize('catalog.manage')
  publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.courses.publish(access, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Authorize('catalog.manage')
  archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.courses.archive(access, id);
  }

  @Post(':id/offerings')
  @Authorize('catalog.manage')
  async createOffering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CreateOfferingDto) {
    return this.catalog.offering(access, await this.offerings.create(access, id, body));
  }
}
