import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CatalogService } from './catalog.service.js';
import { CreateMaterialDto, CreateMeetingDto, UpdateMaterialDto, UpdateMeetingDto, UpdateOfferingDto } from './offering.dto.js';
import { OfferingContentService } from './offering-content.service.js';
import { OfferingService } from './offering.service.js';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api')
export class OfferingsController {
  constructor(private readonly offerings: OfferingService, private readonly content: OfferingContentService, private readonly catalog: CatalogService) {}

  /** Managers and trainers see any offering they run; learners a published one whose course reaches them. */
  @Get('offerings/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.catalog.offering(access, id);
  }

  @Patch('offerings/:id')
  @Authorize('catalog.manage')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateOfferingDto) {
    await this.offerings.update(access, id, body);
    return this.catalog.offering(access, id);
  }

  @Post('offerings/:id/publish')
  @HttpCode(200)
  @Authorize('catalog.manage')
  async publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    await this.offerings.publish(access, id);
    return this.catalog.offering(access, id);
  }

  @Post('offerings/:id/meetings')
  @Authorize('catalog.manage')
  addMeeting(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CreateMeetingDto) {
    return this.content.addMeeting(access, id, body);
  }

  @Patch('meetings/:id')
  @Authorize('catalog.manage')
  updateMeeting(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateMeetingDto) {
    return this.content.updateMeeting(access, id, body);
  }

  @Delete('meetings/:id')
  @HttpCode(204)
  @Authorize('catalog.manage')
  async deleteMeeting(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    await this.content.deleteMeeting(access, id);
  }

  @Post('offerings/:id/materials')
  @Authorize('catalog.manage')
  addMaterial(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CreateMaterialDto) {
    return this.content.addMaterial(access, id, body);
  }

  @Patch('materials/:id')
  @Authorize('catalog.manage')
  updateMaterial(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateMaterialDto) {
    return this.content.updateMaterial(access, id, body);
  }

  @Delete('materials/:id')
  @HttpCode(204)
  @Authorize('catalog.manage')
  async deleteMaterial(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    await this.content.deleteMaterial(access, id);
  }
}
