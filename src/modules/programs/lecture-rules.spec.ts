import {
  daysBetween, defaultDueOn, defaultSeriesTitle, enrolmentWindow, filingState, nextSemester, parseSemester, semesterLastDay, semesterMonths,
  semesterOf, sessionOfferingCode, shanghaiMonth, speakerProblem,
} from './lecture-rules.js';

describe('lecture series rules', () => {
  it('reads semesters and refuses anything else', () => {
    expect(parseSemester('2026-autumn')).toEqual({ year: 2026, term: 'autumn' });
    expect(parseSemester('2027-spring')).toEqual({ year: 2027, term: 'spring' });
    expect(parseSemester('2026-summer')).toBeNull();
    expect(parseSemester('26-autumn')).toBeNull();
  });

  it('lists the months of each semester, autumn running into January', () => {
    expect(semesterMonths('2026-autumn')).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(semesterMonths('2027-spring')).toEqual(['2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07']);
    expect(semesterLastDay('2026-autumn')).toBe('2027-01-31');
    expect(semesterLastDay('2027-spring')).toBe('2027-07-31');
  });

  it('defaults the filing deadline to the day before the semester starts', () => {
    expect(defaultDueOn('2027-spring')).toBe('2027-01-31');
    expect(defaultDueOn('2026-autumn')).toBe('2026-08-31');
  });

  it('places a date in its semester, August counting towards autumn', () => {
    expect(semesterOf('2026-11-22')).toBe('2026-autumn');
    expect(semesterOf('2027-01-15')).toBe('2026-autumn');
    expect(semesterOf('2027-03-01')).toBe('2027-spring');
    expect(semesterOf('2026-08-10')).toBe('2026-autumn');
    expect(nextSemester('2026-autumn')).toBe('2027-spring');
    expect(nextSemester('2027-spring')).toBe('2027-autumn');
  });

  it('judges a filing against the due date, the due date itself being on time', () => {
    expect(filingState('2026-08-31', '2026-08-31', '2026-11-22')).toBe('filed_on_time');
    expect(filingState('2026-08-31', '2026-09-01', '2026-11-22')).toBe('filed_late');
    expect(filingState('2026-08-31', null, '2026-08-31')).toBe('not_due');
    expect(filingState('2026-08-31', null, '2026-09-01')).toBe('not_filed_late');
    expect(daysBetween('2026-11-22', '2027-01-31')).toBe(70);
    expect(daysBetween('2026-11-22', '2026-08-31')).toBe(-83);
  });

  it('names the series and codes its offerings', () => {
    expect(defaultSeriesTitle('青浦区', '2026-autumn')).toBe('青浦区示范园园长大课堂（2026年秋季学期）');
    expect(defaultSeriesTitle('青浦区', '2027-spring')).toBe('青浦区示范园园长大课堂（2027年春季学期）');
    expect(sessionOfferingCode('2026-10', [])).toBe('2026-10');
    expect(sessionOfferingCode('2026-10', ['2026-10', '2026-10-2'])).toBe('2026-10-3');
  });

  it('opens enrolment when the series exists or a week before, and closes it at the start', () => {
    const created = new Date('2026-11-01T00:00:00Z');
    const later = enrolmentWindow(created, new Date('2026-12-10T06:00:00Z'));
    expect(later).toEqual({ enrolOpensAt: created, enrolClosesAt: new Date('2026-12-10T06:00:00Z'), withdrawDeadline: new Date('2026-12-10T06:00:00Z') });
    const past = enrolmentWindow(created, new Date('2026-10-10T06:00:00Z'));
    expect(past.enrolOpensAt).toEqual(new Date('2026-10-03T06:00:00Z'));
    expect(shanghaiMonth(new Date('2026-10-31T17:00:00Z'))).toBe('2026-11');
  });

  it('accepts only serving principals and vice principals of a demonstration kindergarten in the district', () => {
    const district = { path: '/c/qp/' };
    const person = (post: string | null, grade: string | null, path: string | null = '/c/qp/k13/') => ({
      personId: 'p', fullName: '朱薇秀', post, kindergartenId: 'k', kindergartenName: '青浦区实验幼儿园', kindergartenGrade: grade, kindergartenPath: path,
    });
    expect(speakerProblem(person('principal', 'city_demonstration'), district)).toBeNull();
    expect(speakerProblem(person('vice_principal', 'district_demonstration'), district)).toBeNull();
    expect(speakerProblem(person('teacher', 'city_demonstration'), district)?.code).toBe('SPEAKER_NOT_PRINCIPAL');
    expect(speakerProblem(person('principal', 'first'), district)?.code).toBe('SPEAKER_NOT_DEMONSTRATION');
    expect(speakerProblem(person('principal', 'city_demonstration', '/c/jd/k1/'), district)?.code).toBe('SPEAKER_NOT_IN_DISTRICT');
    expect(speakerProblem(person('principal', null, null), district)?.code).toBe('SPEAKER_NOT_IN_DISTRICT');
    expect(speakerProblem(null, district)?.code).toBe('SPEAKER_NOT_IN_DISTRICT');
  });
});
