import { translate, type Locale } from '../../common/i18n/i18n.js';
import { TITLES } from '../people/person-records.entity.js';
import type { CatalogChoices } from './catalog-choices.service.js';
import { optionsOf, type InputSpec } from './catalog-inputs.js';
import type { TrainerOption } from './catalog-reference.query.js';

export type CourseFormChoices = Awaited<ReturnType<CatalogChoices['courseForm']>>;

const trainerOptions = (trainers: TrainerOption[]) => trainers.map((t) => ({ value: t.userId, text: t.displayName }));
const named = (items: Array<{ id: string; name: string }>) => items.map((i) => ({ value: i.id, text: i.name }));

/** The course form: what the course is, who trains it and who it is for. The owner is chosen only when it is created. */
export function courseSpecs(choices: CourseFormChoices, locale: Locale, mode: 'create' | 'update'): InputSpec[] {
  const choose = translate(locale, 'catalog.form.choose');
  const specs: InputSpec[] = [
    { name: 'code', label: 'catalog.field.code', type: 'text', col: 'col-12 col-md-4', hint: 'catalog.hint.code' },
    { name: 'title', label: 'catalog.field.title', type: 'text', col: 'col-12 col-md-8' },
    { name: 'category', label: 'catalog.field.category', type: 'select', col: 'col-6 col-md-3', options: optionsOf(choices.categories, 'catalog.category.', locale), blank: choose },
    { name: 'level', label: 'catalog.field.level', type: 'select', col: 'col-6 col-md-3', options: optionsOf(choices.levels, 'catalog.level.', locale) },
    { name: 'mode', label: 'catalog.field.mode', type: 'select', col: 'col-6 col-md-3', options: optionsOf(choices.modes, 'catalog.mode.', locale) },
  ];
  if (mode === 'create') {
    specs.push({
      name: 'ownerOrgUnitId', label: 'catalog.field.ownerOrgUnitId', type: 'select', col: 'col-6 col-md-3', hint: 'catalog.hint.owner',
      options: named(choices.owners), blank: choices.canOwnDistrict ? translate(locale, 'catalog.form.noOwner') : undefined,
    });
  }
  specs.push(
    { name: 'hours', label: 'catalog.field.hours', type: 'number', col: 'col-6 col-md-3', step: '0.5' },
    { name: 'credits', label: 'catalog.field.credits', type: 'number', col: 'col-6 col-md-3', step: '0.01', hint: 'catalog.hint.credits' },
    { name: 'provider', label: 'catalog.field.provider', type: 'text', col: 'col-12 col-md-6' },
    { name: 'tags', label: 'catalog.field.tags', type: 'text', col: 'col-12 col-md-6', hint: 'catalog.hint.tags' },
    { name: 'description', label: 'catalog.field.description', type: 'textarea', col: 'col-12' },
    { name: 'trainerUserIds', label: 'catalog.field.trainerUserIds', type: 'checkboxes', col: 'col-12', options: trainerOptions(choices.trainers) },
    { name: 'posts', label: 'catalog.field.posts', type: 'checkboxes', col: 'col-12', options: optionsOf(choices.posts, 'people.post.', locale) },
    { name: 'teacherStages', label: 'catalog.field.teacherStages', type: 'checkboxes', col: 'col-12 col-md-6', options: choices.teacherStages.map((s) => ({ value: s.code, text: s.name })) },
    { name: 'principalStages', label: 'catalog.field.principalStages', type: 'checkboxes', col: 'col-12 col-md-6', options: choices.principalStages.map((s) => ({ value: s.code, text: s.name })) },
    {
      name: 'titles', label: 'catalog.field.titles', type: 'checkboxes', col: 'col-12 col-md-6',
      options: [...optionsOf(TITLES, 'people.title.', locale), { value: 'none', text: translate(locale, 'catalog.audience.noTitle') }],
    },
    { name: 'kindergartenGrades', label: 'catalog.field.kindergartenGrades', type: 'checkboxes', col: 'col-12 col-md-6', options: optionsOf(choices.grades, 'org.grade.', locale) },
    { name: 'ownerships', label: 'catalog.field.ownerships', type: 'checkboxes', col: 'col-12 col-md-6', options: optionsOf(choices.ownerships, 'org.ownership.', locale) },
    { name: 'kindergartenIds', label: 'catalog.field.kindergartenIds', type: 'multiselect', col: 'col-12 col-md-6', options: named(choices.audienceKindergartens), hint: 'catalog.hint.multi' },
    { name: 'groupIds', label: 'catalog.field.groupIds', type: 'multiselect', col: 'col-12 col-md-6', options: named(choices.audienceGroups), hint: 'catalog.hint.multi' },
  );
  if (mode === 'update') specs.push({ name: 'version', label: 'catalog.field.version', type: 'hidden', col: 'd-none' });
  return specs;
}

/** An offering's form; capacity is set once here and changed later through the enrolment module. */
export function offeringSpecs(trainers: TrainerOption[], choices: CourseFormChoices, locale: Locale, mode: 'create' | 'update'): InputSpec[] {
  const specs: InputSpec[] = [
    { name: 'code', label: 'catalog.field.offeringCode', type: 'text', col: 'col-6 col-md-3' },
    { name: 'label', label: 'catalog.field.label', type: 'text', col: 'col-6 col-md-5' },
  ];
  if (mode === 'create') specs.push({ name: 'capacity', label: 'catalog.field.capacity', type: 'number', col: 'col-6 col-md-2', step: '1' });
  specs.push(
    { name: 'kindergartenQuota', label: 'catalog.field.kindergartenQuota', type: 'number', col: 'col-6 col-md-2', step: '1', hint: 'catalog.hint.quota' },
    { name: 'enrolOpensAt', label: 'catalog.field.enrolOpensAt', type: 'datetime-local', col: 'col-12 col-md-4' },
    { name: 'enrolClosesAt', label: 'catalog.field.enrolClosesAt', type: 'datetime-local', col: 'col-12 col-md-4' },
    { name: 'withdrawDeadline', label: 'catalog.field.withdrawDeadline', type: 'datetime-local', col: 'col-12 col-md-4' },
    { name: 'approvalMode', label: 'catalog.field.approvalMode', type: 'select', col: 'col-12 col-md-4', options: optionsOf(choices.approvalModes, 'catalog.approval.', locale) },
    { name: 'waitlistMode', label: 'catalog.field.waitlistMode', type: 'select', col: 'col-6 col-md-4', options: optionsOf(choices.waitlistModes, 'catalog.waitlist.', locale) },
    { name: 'offerExpiryHours', label: 'catalog.field.offerExpiryHours', type: 'number', col: 'col-6 col-md-2', step: '1', hint: 'catalog.hint.offerExpiry' },
    { name: 'minAttendanceShare', label: 'catalog.field.minAttendanceShare', type: 'number', col: 'col-6 col-md-2', step: '0.05', hint: 'catalog.hint.minAttendance' },
    { name: 'trainerUserIds', label: 'catalog.field.trainerUserIds', type: 'checkboxes', col: 'col-12', options: trainerOptions(trainers) },
  );
  if (mode === 'update') specs.push({ name: 'version', label: 'catalog.field.version', type: 'hidden', col: 'd-none' });
  return specs;
}

export function meetingSpecs(): InputSpec[] {
  return [
    { name: 'title', label: 'catalog.field.meetingTitle', type: 'text', col: 'col-12 col-md-6' },
    { name: 'startsAt', label: 'catalog.field.startsAt', type: 'datetime-local', col: 'col-6 col-md-3' },
    { name: 'endsAt', label: 'catalog.field.endsAt', type: 'datetime-local', col: 'col-6 col-md-3' },
    { name: 'place', label: 'catalog.field.place', type: 'text', col: 'col-12 col-md-5' },
    { name: 'onlineUrl', label: 'catalog.field.onlineUrl', type: 'url', col: 'col-12 col-md-5' },
    { name: 'hours', label: 'catalog.field.meetingHours', type: 'number', col: 'col-6 col-md-2', step: '0.5', hint: 'catalog.hint.meetingHours' },
  ];
}

export function materialSpecs(choices: CourseFormChoices, locale: Locale): InputSpec[] {
  return [
    { name: 'kind', label: 'catalog.field.kind', type: 'select', col: 'col-6 col-md-3', options: optionsOf(choices.materialKinds, 'catalog.materialKind.', locale) },
    { name: 'title', label: 'catalog.field.materialTitle', type: 'text', col: 'col-12 col-md-5' },
    { name: 'sortOrder', label: 'catalog.field.sortOrder', type: 'number', col: 'col-6 col-md-2', step: '1' },
    { name: 'required', label: 'catalog.field.required', type: 'checkbox', col: 'col-6 col-md-2' },
    { name: 'url', label: 'catalog.field.url', type: 'text', col: 'col-12', hint: 'catalog.hint.url' },
    { name: 'body', label: 'catalog.field.body', type: 'textarea', col: 'col-12' },
  ];
}
