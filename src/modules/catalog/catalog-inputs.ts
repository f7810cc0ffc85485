import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { FormValues } from './catalog-forms.js';

type InputType = 'text' | 'number' | 'datetime-local' | 'url' | 'select' | 'checkboxes' | 'multiselect' | 'textarea' | 'checkbox' | 'hidden';

/** One input of a catalog form: the templates render a list of these with one loop. */
export interface InputSpec {
  name: string;
  label: string;
  type: InputType;
  col: string;
  step?: string;
  hint?: string;
  options?: Array<{ value: string; text: string }>;
  /** A select's first, empty option (e.g. "请选择"). */
  blank?: string;
}

export interface FormInput extends Omit<InputSpec, 'options' | 'step' | 'hint'> {
  id: string;
  value: string;
  checked: boolean;
  error: string | null;
  options: Array<{ value: string; text: string; selected: boolean }> | null;
  step: string | null;
  hint: string | null;
}

/** The inputs of a form with what the user typed (or the record's values) and each field's error. */
export function formInputs(prefix: string, specs: InputSpec[], values: FormValues, errors: Record<string, string>): FormInput[] {
  return specs.map((spec) => {
    const value = values[spec.name];
    const chosen = Array.isArray(value) ? value : [String(value ?? '')];
    const options = spec.options ? [...(spec.blank ? [{ value: '', text: spec.blank }] : []), ...spec.options] : null;
    return {
      ...spec, id: `${prefix}-${spec.name}`, value: Array.isArray(value) ? '' : String(value ?? ''), checked: value === true,
      error: errors[spec.name] ?? null, step: spec.step ?? null, hint: spec.hint ?? null,
      options: options?.map((o) => ({ ...o, selected: chosen.includes(o.value) })) ?? null,
    };
  });
}

/** Options for a fixed list, labelled by `prefix + value` in the reader's language. */
export function optionsOf(values: readonly string[], prefix: string, locale: Locale) {
  return values.map((value) => ({ value, text: translate(locale, `${prefix}${value}`) }));
}
