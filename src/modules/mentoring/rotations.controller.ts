import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CreateRotationDto, EndRotationDto, HeadcountQuery, RotationListQuery } from './rotation.dto.js';
import { RotationsService } from './rotations.service.js';

@ApiTags('rotations')
@ApiBearerAuth()
@Controller('api')
export class RotationsController {
  constructor(private readonly rotations: RotationsService) {}

  /** The same rotation again answers 200 with the first; an overlapping one is refused with ROTATION_OVERLAPS. */
  @Post('rotations')
  @Authorize('rotation.manage')
  async create(@Access() access: AccessContext, @Body() body: CreateRotationDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.rotations.create(access, body);
    res.status(answer.changed ? 201 : 200);
    return answer.rotation;
  }

  /** District admins (rotation.manage), or kindergarten admins for rotations from or to their kindergarten. */
  @Get('rotations')
  @Authorize('signed_in')
  list(@Access() access: AccessContext, @Query() query: RotationListQuery) {
    return this.rotations.list(access, query);
  }

  @Patch('rotations/:id')
  @Authorize('rotation.manage')
  async endEarly(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: EndRotationDto) {
    return (await this.rotations.endEarly(access, id, body)).rotation;
  }

  @Get('reports/rotation-headcount')
  @Authorize('rotation.manage')
  async headcount(@Access() access: AccessContext, @Query() query: HeadcountQuery) {
    return { on: query.on, kindergartens: await this.rotations.headcount(access, query.on) };
  }
}
