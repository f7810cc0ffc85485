import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { EDUCATION_LEVELS } from '../people/person.entity.js';
import { CERTIFICATE_KINDS, TITLES } from '../people/person-records.entity.js';
import { CreateTitleRuleDto } from './promotion.dto.js';
import { TitleEligibilityQuery } from './title-eligibility.query.js';
import type { RuleCandidate } from './title-rules.js';
import { TitleRulesService } from './title-rules.service.js';

type Form = Record<string, unknown>;
interface RuleForm { values: Record<string, unknown>; errors: Record<string, string> }

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(text).filter(Boolean);

/** /titles/rules: the title rules in force for the caller's district, their versions, and a form for a new effective-dated version. */
@ApiExcludeController()
@Controller('titles/rules')
export class TitleRulesPagesController {
  constructor(private readonly rules: TitleRulesService, private readonly units: TitleEligibilityQuery) {}

  @Get()
  @Authorize('titles.decide')
  async show(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, blankForm(), 200);
  }

  @Post()
  @Authorize('titles.decide')
  async add(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const region = await this.regionOf(access);
    const values = formValues(body);
    try {
      const { value, problems } = await validateInput(CreateTitleRuleDto, { regionCode: region, ...ruleInput(values) });
      if (problems.length) throw new ValidationFailed(problems);
      await this.rules.create(access, value);
    } catch (error) {
      const errors = fieldErrors(error, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, { values, errors }, error instanceof DomainError && error.status === 409 ? 409 : 400);
    }
    flash(res, { kind: 'success', key: 'promotion.rules.flash.added' });
    res.redirect(303, '/titles/rules');
  }

  private async regionOf(access: AccessContext): Promise<string> {
    const path = access.scopePaths('titles.decide').sort((a, b) => a.length - b.length)[0];
    const unitId = path?.split('/').filter(Boolean).at(-1);
    const code = path && unitId ? (await this.units.unitCodes([path])).get(unitId) : undefined;
    if (!code) throw new NotFound('district');
    return code;
  }

  private async render(access: AccessContext, req: Request, res: Response, form: RuleForm, status: number) {
    const answer = await this.rules.list(await this.regionOf(access));
    const locale = req.locale;
    res.status(status).render('pages/titles/rules', {
      title: translate(locale, 'promotion.rules.title'),
      region: answer.region, asOf: answer.asOf,
      titles: TITLES.map((title) => ({
        title,
        versions: answer.items.filter((r) => r.title === title).map((r) => ({
          ...r, inForce: answer.inForce?.[title] === r.id, national: r.regionCode === null, conditions: conditionWords(r, locale),
        })),
      })),
      form: formView(form), titleChoices: TITLES, educationLevels: EDUCATION_LEVELS, certificateKinds: CERTIFICATE_KINDS,
      hasErrors: Object.keys(form.errors).length > 0,
    });
  }
}

/** Every field's message present (null when fine): the templates are strict. */
function formView({ values, errors }: RuleForm) {
  const v = values as ReturnType<typeof formValues>;
  return {
    values: { ...v, years: v.years.map((y) => ({ ...y, field: `years.${y.level}`, error: errors[`years.${y.level}`] ?? null })) },
    errors: Object.fromEntries(['title', 'effectiveFrom', 'minEducation', 'years', 'certificates', 'creditsComplete'].map((f) => [f, errors[f] ?? null])),
  };
}

function blankForm(): RuleForm {
  return { values: formValues({}), errors: {} };
}

/** The entered values, to show the form again as it was sent. */
function formValues(body: Form) {
  const chosen = list(body.certificates);
  return {
    title: text(body.title), effectiveFrom: text(body.effectiveFrom), minEducation: text(body.minEducation),
    creditsComplete: body.creditsComplete === 'on' || body.creditsComplete === 'true',
    years: EDUCATION_LEVELS.map((level) => ({ level, value: text(body[`years.${level}`]) })),
    certificates: CERTIFICATE_KINDS.map((kind) => ({ kind, checked: chosen.includes(kind) })),
  };
}

/** The API's input for the form: blank years mean the level cannot apply; a non-number stays text for the checks to name. */
function ruleInput(values: ReturnType<typeof formValues>) {
  const yearsAtPrevious = Object.fromEntries(values.years.filter((y) => y.value !== '')
    .map((y) => [y.level, Number.isNaN(Number(y.value)) ? y.value : Number(y.value)]));
  return {
    title: values.title || undefined, effectiveFrom: values.effectiveFrom || undefined,
    conditions: {
      yearsAtPrevious, minEducation: values.minEducation || undefined, creditsComplete: values.creditsComplete,
      certificates: values.certificates.filter((c) => c.checked).map((c) => c.kind), extra: [],
    },
  };
}

/** Field messages for the form, keyed by the form's field names (`years.bachelor`), or null for any other error. */
function fieldErrors(error: unknown, locale: Locale): Record<string, string> | null {
  let problems;
  if (error instanceof ValidationFailed) problems = error.problems;
  else if (error instanceof DomainError && error.code === 'TITLE_RULE_EXISTS') problems = [{ field: 'effectiveFrom', code: error.code, message: error.message }];
  else return null;
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = problem.field.replace(/^conditions\.yearsAtPrevious\.?/, 'years.').replace(/^years\.$/, 'years').replace(/^conditions\./, '');
    if (errors[field]) continue;
    const key = `promotion.rules.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'promotion.rules.problem.invalid');
  }
  return errors;
}

/** A rule's conditions in words, in the reader's language. */
function conditionWords(rule: RuleCandidate, locale: Locale): string[] {
  const c = rule.conditions;
  const level = (l: string) => translate(locale, `people.education.${l}`);
  const words = [translate(locale, 'promotion.condition.education', { min: level(c.minEducation) })];
  const years = Object.entries(c.yearsAtPrevious ?? {}).map(([l, y]) => `${level(l)} ${y}`).join(locale === 'en' ? '; ' : '；');
  if (years) words.push(translate(locale, 'promotion.rules.years', { years }));
  if (c.creditsComplete) words.push(translate(locale, 'promotion.condition.credits_complete'));
  for (const kind of c.certificates ?? []) words.push(translate(locale, 'promotion.condition.certificate', { kind: translate(locale, `people.certificate.${kind}`) }));
  for (const extra of c.extra ?? []) words.push(locale === 'en' ? extra.en : extra.zh);
  return words;
}
