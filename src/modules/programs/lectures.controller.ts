import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CreateSeriesDto, SemesterQuery, SeriesListQuery, SessionDto, SetDeadlineDto, UpdateSeriesDto, UpdateSessionDto } from './lecture.dto.js';
import { LectureDeadlinesService } from './lecture-deadlines.service.js';
import { LectureOverviewService } from './lecture-overview.service.js';
import { LectureReads } from './lecture-reads.service.js';
import { LectureSeriesService } from './lecture-series.service.js';
import { LectureSessionsService } from './lecture-sessions.service.js';

/** 示范园园长大课堂: the city's filing deadlines and overview, the districts' series, sessions and filing. */
@ApiTags('lectures')
@ApiBearerAuth()
@Controller('api/lectures')
export class LecturesController {
  constructor(
    private readonly deadlines: LectureDeadlinesService,
    private readonly overviews: LectureOverviewService,
    private readonly series: LectureSeriesService,
    private readonly sessions: LectureSessionsService,
    private readonly reads: LectureReads,
  ) {}

  /** City staff only (scope over the city itself); a district's staff get 404. */
  @Put('deadlines/:semester')
  @Authorize('lectures.oversee')
  setDeadline(@Access() access: AccessContext, @Param('semester') semester: string, @Body() body: SetDeadlineDto) {
    return this.deadlines.set(access, semester, body);
  }

  @Get('overview')
  @Authorize('lectures.oversee')
  overview(@Access() access: AccessContext, @Query() query: SemesterQuery) {
    return this.overviews.overview(access, query.semester, query.cityId);
  }

  /** The caller's districts with their semesters (current, next, and any with a series). */
  @Get('series')
  @Authorize('lectures.file')
  async list(@Access() access: AccessContext, @Query() query: SeriesListQuery) {
    return { items: await this.reads.districts(access, query.semester) };
  }

  /** 201 with a new series; 200 with the district's existing series for the semester. */
  @Post('series')
  @Authorize('lectures.file')
  async create(@Access() access: AccessContext, @Body() body: CreateSeriesDto, @Res({ passthrough: true }) res: Response) {
    const { series, created } = await this.series.create(access, body);
    res.status(created ? 201 : 200);
    return this.reads.get(access, series.id);
  }

  /** The district's filers and the city's overseers; anyone else gets 404. */
  @Get('series/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reads.get(access, id);
  }

  @Patch('series/:id')
  @Authorize('lectures.file')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateSeriesDto) {
    await this.series.update(access, id, body);
    return this.reads.get(access, id);
  }

  /** Files the schedule; filing again answers the first filing (200 both times). */
  @Post('series/:id/file')
  @HttpCode(200)
  @Authorize('lectures.file')
  async file(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    await this.series.file(access, id);
    return this.reads.get(access, id);
  }

  /** Principals and vice principals of the district's demonstration kindergartens. */
  @Get('series/:id/speakers')
  @Authorize('lectures.file')
  async speakers(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return { items: await this.reads.speakers(access, id) };
  }

  /** 201 with a new session; 200 with the same session when the same request comes again. */
  @Post('series/:id/sessions')
  @Authorize('lectures.file')
  async addSession(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: SessionDto, @Res({ passthrough: true }) res: Response) {
    const { session, created } = await this.sessions.add(access, id, body);
    res.status(created ? 201 : 200);
    return (await this.reads.get(access, id)).sessions.find((s) => s.id === session.id);
  }

  @Patch('series/:id/sessions/:sessionId')
  @Authorize('lectures.file')
  async updateSession(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('sessionId', RecordIdPipe) sessionId: string, @Body() body: UpdateSessionDto,
  ) {
    await this.sessions.update(access, id, sessionId, body);
    return (await this.reads.get(access, id)).sessions.find((s) => s.id === sessionId);
  }

  @Delete('series/:id/sessions/:sessionId')
  @HttpCode(204)
  @Authorize('lectures.file')
  async removeSession(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('sessionId', RecordIdPipe) sessionId: string) {
    await this.sessions.remove(access, id, sessionId);
  }
}
