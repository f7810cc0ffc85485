import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '../../common/i18n/i18n.js';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate } from '../../common/validators.js';
import { COURSE_LEVELS, COURSE_MODES, CREDIT_CATEGORIES, type CourseLevel, type CourseMode, type CreditCategory } from './catalog.entities.js';
import { blankIsAbsent } from './course.dto.js';

/** `GET /api/catalog` and the /catalog page. `from`/`to` are Shanghai dates the offering's meetings must reach into. */
export class CatalogQueryDto extends PageQuery {
  @IsOptional() @Transform(blankIsAbsent) @IsIn(CREDIT_CATEGORIES) category?: CreditCategory;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(COURSE_LEVELS) level?: CourseLevel;
  @IsOptional() @Transform(blankIsAbsent) @IsIn(COURSE_MODES) mode?: CourseMode;
  @IsOptional() @Transform(blankIsAbsent) @IsString() @MaxLength(40) tag?: string;
  @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate() from?: string;
  @IsOptional() @Transform(blankIsAbsent) @IsCalendarDate() to?: string;
  /** `true` (or a checked box, `on`): only offerings the caller may enrol in now. */
  @IsOptional() @Transform(blankIsAbsent) @IsIn(['true', 'false', 'on']) eligible?: 'true' | 'false' | 'on';
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}
