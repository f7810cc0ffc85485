import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { ApplicationsService } from './applications.service.js';

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  /**
   * Apply (no personId) or nominate a person of your kindergarten (personId, needs programs.nominate there).
   * JSON or multipart/form-data with attachments as `files`. Applied already: 409 APPLICATION_EXISTS with the application.
   */
  @Post('programs/:id/applications')
  @Authorize('signed_in')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', required: ['statement'], properties: {
    statement: { type: 'string' }, personId: { type: 'string', format: 'uuid' }, files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  apply(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>, @UploadedFileList() upload: FilesUpload) {
    return this.applications.apply(access, id, body ?? {}, upload);
  }

  /** District staff: all; a kindergarten admin: their kindergarten's (results once the round is closed). */
  @Get('programs/:id/applications')
  @Authorize('signed_in')
  async ofProgram(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return { items: await this.applications.ofProgram(access, id) };
  }

  @Get('me/program-applications')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext) {
    return { items: await this.applications.mine(access) };
  }

  @Get('program-applications/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.applications.get(access, id);
  }

  @Post('program-applications/:id/withdraw')
  @Authorize('signed_in')
  @HttpCode(200)
  withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.applications.withdraw(access, id);
  }
}
