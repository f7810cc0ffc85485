import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { CreatePersonDto, PeopleListQueryDto, RecordIdPipe, UpdatePersonDto } from './people.dto.js';
import {
  AddCertificateDto, AddEmploymentDto, AddHonourDto, AddStageDto, AddTitleDto, CreateStageDefinitionDto, StageListQueryDto,
  UpdateEmploymentDto, UpdateStageDefinitionDto,
} from './person-records.dto.js';
import { PeopleService } from './people.service.js';
import { PersonRecordsService } from './person-records.service.js';
import { StageDefinitionsService } from './stage-definitions.service.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('api')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly records: PersonRecordsService,
    private readonly stages: StageDefinitionsService,
  ) {}

  @Get('people')
  @Authorize('people.read')
  list(@Access() access: AccessContext, @Query() query: PeopleListQueryDto) {
    return this.people.search(access, query);
  }

  @Get('people/:id')
  @Authorize('people.read')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.people.record(access, id);
  }

  @Post('people')
  @Authorize('people.write')
  create(@Access() access: AccessContext, @Body() body: CreatePersonDto) {
    return this.people.create(access, body);
  }

  @Patch('people/:id')
  @Authorize('people.write')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdatePersonDto) {
    return this.people.update(access, id, body);
  }

  @Post('people/:id/employments')
  @Authorize('people.write')
  addEmployment(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddEmploymentDto) {
    return this.records.addEmployment(access, id, body);
  }

  @Patch('people/:id/employments/:employmentId')
  @Authorize('people.write')
  updateEmployment(
    @Access() access: AccessContext,
    @Param('id', RecordIdPipe) id: string,
    @Param('employmentId', RecordIdPipe) employmentId: string,
    @Body() body: UpdateEmploymentDto,
  ) {
    return this.records.updateEmployment(access, id, employmentId, body);
  }

  @Post('people/:id/titles')
  @Authorize('people.write')
  addTitle(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddTitleDto) {
    return this.records.addTitle(access, id, body);
  }

  @Post('people/:id/certificates')
  @Authorize('people.write')
  addCertificate(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddCertificateDto) {
    return this.records.addCertificate(access, id, body);
  }

  @Post('people/:id/honours')
  @Authorize('people.write')
  addHonour(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddHonourDto) {
    return this.records.addHonour(access, id, body);
  }

  @Post('people/:id/stages')
  @Authorize('people.write')
  addStage(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddStageDto) {
    return this.records.addStage(access, id, body);
  }

  @Get('stages')
  @Authorize('signed_in')
  listStages(@Query() query: StageListQueryDto) {
    return this.stages.list(query.kind, query.includeInactive === 'true');
  }

  @Post('stages')
  @Authorize('settings.write')
  createStage(@Access() access: AccessContext, @Body() body: CreateStageDefinitionDto) {
    return this.stages.create(access, body);
  }

  @Patch('stages/:kind/:code')
  @Authorize('settings.write')
  updateStage(@Access() access: AccessContext, @Param('kind') kind: string, @Param('code') code: string, @Body() body: UpdateStageDefinitionDto) {
    return this.stages.update(access, kind, code, body);
  }
}
