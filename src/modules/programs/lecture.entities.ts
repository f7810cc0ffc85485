import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

/** A semester code: `2026-autumn` (Sept–Jan) or `2027-spring` (Feb–Jul). */
export type Semester = string;

/** The date by which each district files its lecture-series schedule with the city, per semester. */
@Entity('lecture_filing_deadline')
export class LectureFilingDeadline {
  @PrimaryColumn('uuid') cityId: string;
  @PrimaryColumn('text') semester: Semester;
  @Column('date') dueOn: string;
  @Column('uuid', { nullable: true }) setBy: string | null;
  @Column('timestamptz') updatedAt: Date;
}

/** 示范园园长大课堂: a district's series for a semester; filed with the city once its schedule is set. */
@Entity('lecture_series')
export class LectureSeries {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('uuid') cityId: string;
  @Column('text') semester: Semester;
  @Column('text') title: string;
  /** The course whose offerings are the sessions, so attendance earns credit through the normal path. */
  @Column('uuid', { nullable: true }) courseId: string | null;
  @Column('text') status: 'draft' | 'filed';
  @Column('timestamptz', { nullable: true }) filedAt: Date | null;
  @Column('uuid', { nullable: true }) filedBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @VersionColumn() version: number;
}

/** One monthly session, given by the principal of a demonstration kindergarten; it is an offering of the series' course. */
@Entity('lecture_session')
export class LectureSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') seriesId: string;
  /** The first day of the session's month. */
  @Column('date') month: string;
  @Column('text') topic: string;
  @Column('uuid') speakerPersonId: string;
  @Column('uuid') speakerKindergartenId: string;
  @Column('uuid', { nullable: true }) offeringId: string | null;
  @Column('timestamptz') startsAt: Date;
  @Column('timestamptz') endsAt: Date;
  @Column('timestamptz') createdAt: Date;
}
