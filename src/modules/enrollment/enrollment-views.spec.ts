import { DomainError, ValidationFailed } from '../../common/errors.js';
import type { OfferingView } from '../catalog/catalog.service.js';
import { capacityBelowEnrolled } from './enrollment-errors.js';
import type { EnrollmentRow } from './enrollment.query.js';
import { fieldMessages, offeringPage, refusalText, type LearnerState } from './enrollment-views.js';

const NOW = new Date('2026-11-22T02:00:00Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

function offering(overrides: Partial<OfferingView> = {}): OfferingView {
  return {
    id: 'o1', code: 'O1', label: '', status: 'published',
    course: { id: 'c1', code: 'C1', title: '安吉游戏', provider: '', category: 'knowledge_skills', tags: [], level: 'district', mode: 'offline', hours: 6, credits: 0.6 },
    owner: { id: 'd', name: '青浦区' }, firstMeetingAt: later(48), lastMeetingAt: later(50), meetingCount: 1,
    capacity: 2, kindergartenQuota: null, seatsTaken: 1, seatsLeft: 1,
    enrolOpensAt: later(-24), enrolClosesAt: later(24), withdrawDeadline: later(24),
    approvalMode: 'none', waitlistMode: 'auto', enrolmentOpen: true,
    description: '', audience: {}, audienceLines: [], priorityTiers: [], offerExpiryHours: null, minAttendanceShare: 0.8,
    cancelledReason: null, courseStatus: 'published', trainers: [], meetings: [], materials: [], version: 1, viewerCanManage: false,
    ...overrides,
  } as OfferingView;
}

function row(status: EnrollmentRow['status'], overrides: Partial<EnrollmentRow> = {}): EnrollmentRow {
  return { id: 'e1', status, waitlistPosition: null, approvalStep: null, offerExpiresAt: null, declineReason: null, requestedAt: later(-1), ...overrides } as EnrollmentRow;
}

const state = (overrides: Partial<LearnerState> = {}): LearnerState => ({
  offering: offering(), mine: null, eligibility: { eligible: true, reasons: [] }, blocked: null, waitlisted: 0, now: NOW, ...overrides,
});

describe('the learner\'s offering page', () => {
  it('offers enrolment while seats are left, the waitlist when full, and says so when full without one', () => {
    expect(offeringPage(state()).actions).toMatchObject({ enrol: true, joinWaitlist: false, fullNoWaitlist: false, withdraw: null });
    const full = offering({ seatsTaken: 2, seatsLeft: 0 });
    expect(offeringPage(state({ offering: full })).actions).toMatchObject({ enrol: false, joinWaitlist: true });
    expect(offeringPage(state({ offering: { ...full, waitlistMode: 'none' } })).actions).toMatchObject({ enrol: false, joinWaitlist: false, fullNoWaitlist: true });
  });

  it('names the way out for each status, only before the withdrawal deadline', () => {
    expect(offeringPage(state({ mine: row('enrolled') })).actions.withdraw).toBe('enrollment.action.withdraw');
    const waiting = offeringPage(state({ mine: row('waitlisted', { waitlistPosition: 3 }) }));
    expect(waiting.actions).toMatchObject({ enrol: false, withdraw: 'enrollment.action.leaveWaitlist' });
    expect(waiting.mine).toMatchObject({ waitlistPosition: 3 });
    const late = offeringPage(state({ mine: row('enrolled'), offering: offering({ withdrawDeadline: later(-1) }) }));
    expect(late.actions).toMatchObject({ withdraw: null, withdrawClosed: true });
  });

  it('lets an offered seat be accepted until it expires', () => {
    expect(offeringPage(state({ mine: row('offered', { offerExpiresAt: later(2) }) })).actions.accept).toBe(true);
    expect(offeringPage(state({ mine: row('offered', { offerExpiresAt: later(-1) }) })).actions.accept).toBe(false);
  });

  it('gives the reasons instead of a button when not eligible, and nothing to do on a cancelled offering', () => {
    const refused = offeringPage(state({ eligibility: { eligible: false, reasons: [{ code: 'ENROLLMENT_CLOSED', message: '报名已截止' }] } }));
    expect(refused.actions.enrol).toBe(false);
    expect(refused.reasons).toEqual(['报名已截止']);
    const cancelled = offeringPage(state({ offering: offering({ status: 'cancelled', cancelledReason: '讲师有事' }) }));
    expect(cancelled).toMatchObject({ notice: 'cancelled', actions: { enrol: false, joinWaitlist: false } });
    const declined = offeringPage(state({ mine: row('declined', { declineReason: '任务冲突' }) }));
    expect(declined).toMatchObject({ mine: { declineReason: '任务冲突' }, actions: { enrol: false, withdraw: null } });
  });
});

describe('form refusals in words', () => {
  it('prefers the most telling problem of a field and says "required" for a blank', () => {
    const error = new ValidationFailed([
      { field: 'capacity', code: 'max', message: '' }, { field: 'capacity', code: 'min', message: '' }, { field: 'capacity', code: 'isInt', message: '' },
    ]);
    expect(fieldMessages(error, { capacity: 'abc' }, 'zh-CN')).toEqual({ capacity: '请输入整数' });
    expect(fieldMessages(error, { capacity: '' }, 'en')).toEqual({ capacity: 'Required' });
    expect(fieldMessages(ValidationFailed.field('reason', 'isLength', ''), { reason: '' }, 'zh-CN', 'enrollment.approvals.reasonRequired')).toEqual({ reason: '请填写不同意的理由' });
  });

  it('puts a capacity below the seats taken beside the capacity, and other refusals in words', () => {
    expect(fieldMessages(capacityBelowEnrolled(3), { capacity: '2' }, 'zh-CN')?.capacity).toContain('已占用 3 个名额');
    expect(fieldMessages(new DomainError('ENROLLMENT_FULL', 409, 'full'), {}, 'zh-CN')).toBeNull();
    expect(refusalText(new DomainError('ENROLLMENT_FULL', 409, 'full'), {}, 'en')).toBe('This offering is full and has no waitlist');
    expect(refusalText(new DomainError('SOMETHING_ELSE', 409, 'As it was said'), {}, 'en')).toBe('As it was said');
  });
});
