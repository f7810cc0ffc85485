import { translate, type Locale } from '../../common/i18n/i18n.js';

/** What the score looks at for the mentee and for each candidate mentor. */
export interface MatchProfile {
  personId: string;
  post: string | null;
  teacherStage: string | null;
  title: string | null;
  kindergartenId: string | null;
  groupId: string | null;
  /** The town or zone the kindergarten sits in, for "nearby". */
  townId: string | null;
  /** Not recorded in the people module yet; the factor is skipped while null. */
  subjectArea: string | null;
}

export interface MentorCandidate extends MatchProfile {
  fullName: string;
  kindergartenName: string | null;
  honours: string[];
  openMentees: number;
  maxMentees: number;
  pastExcellent: number;
  pastPass: number;
  pastFail: number;
}

export interface ScoreReason {
  factor: string;
  points: number;
  text: string;
}

export interface ScoredCandidate {
  candidate: MentorCandidate;
  score: number;
  reasons: ScoreReason[];
}

export const TITLE_RANK: Record<string, number> = { third: 1, second: 2, first: 3, senior: 4, professorial: 5 };
const TEACHER_STAGE_RANK: Record<string, number> = { novice: 1, competent: 2, backbone: 3 };
/** Honours that make someone eligible to mentor without a first-grade title. */
export const MENTOR_HONOURS = ['special_teacher', 'special_principal', 'district_backbone', 'subject_leader'] as const;
const LEADERSHIP_POSTS = ['principal', 'vice_principal'];

export const POINTS = {
  perTitleStep: 10, maxTitle: 30, honour: 10, perStageStep: 10, samePost: 10, sameSubject: 10,
  sameKindergarten: 15, sameGroup: 10, sameTown: 5, perFreePlace: 3, excellent: 5, pass: 2, fail: -5,
} as const;

/** A teacher's stage on one scale; principals without a teacher stage count as the top stage. */
export function stageRank(profile: { post: string | null; teacherStage: string | null }): number {
  if (profile.teacherStage && TEACHER_STAGE_RANK[profile.teacherStage]) return TEACHER_STAGE_RANK[profile.teacherStage];
  return profile.post && LEADERSHIP_POSTS.includes(profile.post) ? 3 : 0;
}

/** Scores one candidate for one mentee; every point comes with the reason the admin reads. */
export function scoreCandidate(mentee: MatchProfile, c: MentorCandidate, locale: Locale): ScoredCandidate {
  const reasons: ScoreReason[] = [];
  const add = (factor: string, points: number, key: string, params: Record<string, unknown> = {}) => {
    if (points !== 0) reasons.push({ factor, points, text: translate(locale, `pairings.reason.${key}`, params) });
  };
  const titleGap = (TITLE_RANK[c.title ?? ''] ?? 0) - (TITLE_RANK[mentee.title ?? ''] ?? 0);
  if (titleGap > 0) {
    add('title_gap', Math.min(POINTS.maxTitle, titleGap * POINTS.perTitleStep), 'titleGap', {
      title: translate(locale, `people.title.${c.title}`), steps: titleGap,
    });
  }
  const honour = MENTOR_HONOURS.find((h) => c.honours.includes(h));
  if (honour) add('honour', POINTS.honour, 'honour', { honour: translate(locale, `people.honour.${honour}`) });
  const stageGap = stageRank(c) - stageRank(mentee);
  if (stageGap > 0) add('stage_gap', stageGap * POINTS.perStageStep, 'stageGap', { steps: stageGap });
  if (c.post && c.post === mentee.post) add('same_post', POINTS.samePost, 'samePost', { post: translate(locale, `people.post.${c.post}`) });
  if (mentee.subjectArea && c.subjectArea === mentee.subjectArea) add('same_subject', POINTS.sameSubject, 'sameSubject');
  if (c.kindergartenId && c.kindergartenId === mentee.kindergartenId) add('proximity', POINTS.sameKindergarten, 'sameKindergarten');
  else if (c.groupId && c.groupId === mentee.groupId) add('proximity', POINTS.sameGroup, 'sameGroup');
  else if (c.townId && c.townId === mentee.townId) add('proximity', POINTS.sameTown, 'sameTown');
  const free = Math.max(0, c.maxMentees - c.openMentees);
  add('free_capacity', free * POINTS.perFreePlace, 'freeCapacity', { free, max: c.maxMentees });
  const past = c.pastExcellent * POINTS.excellent + c.pastPass * POINTS.pass + c.pastFail * POINTS.fail;
  add('past_results', past, 'pastResults', { excellent: c.pastExcellent, pass: c.pastPass, fail: c.pastFail });
  return { candidate: c, score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

/** Best first; ties by name so the order is stable. */
export function rankCandidates(mentee: MatchProfile, candidates: MentorCandidate[], locale: Locale, limit: number): ScoredCandidate[] {
  return candidates
    .map((c) => scoreCandidate(mentee, c, locale))
    .sort((a, b) => b.score - a.score || a.candidate.fullName.localeCompare(b.candidate.fullName, 'zh-CN') || a.candidate.personId.localeCompare(b.candidate.personId))
    .slice(0, limit);
}
