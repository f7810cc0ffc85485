import Handlebars from 'handlebars';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TEMPLATES_DIR } from '../paths.js';
import { isLocale, translate, type Locale } from '../i18n/i18n.js';

type HelperOptions = Handlebars.HelperOptions;

function localeOf(options: HelperOptions): Locale {
  const root = options.data?.root as { locale?: unknown } | undefined;
  return isLocale(root?.locale) ? root.locale : 'zh-CN';
}

/** One Handlebars environment for pages, mail, certificates and reports, compiled in strict mode. */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('t', function (key: string, options: HelperOptions) {
    return translate(localeOf(options), key, options.hash);
  });
  /** Translates `prefix + value`, e.g. (tv "grade." grade). */
  hbs.registerHelper('tv', function (prefix: string, value: unknown, options: HelperOptions) {
    return value === null || value === undefined || value === '' ? '' : translate(localeOf(options), `${prefix}${String(value)}`);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('and', (a: unknown, b: unknown) => !!a && !!b);
  hbs.registerHelper('or', (a: unknown, b: unknown) => !!a || !!b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null, null, 1));
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hbs.registerHelper('date', (value: unknown) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return typeof value === 'string' ? value.slice(0, 10) : '';
  });
  hbs.registerHelper('datetime', (value: unknown) => {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    return date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 16).replace('T', ' ') : '';
  });
  return hbs;
}

/** Compiles every `.hbs` under `templates/` once; partials are the files under `partials/`, named by path. */
export class TemplateRegistry {
  private readonly hbs = createHandlebars();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly root = TEMPLATES_DIR) {
    for (const file of this.walk(join(root, 'partials'))) {
      const name = relative(join(root, 'partials'), file).replace(/\.hbs$/, '');
      this.hbs.registerPartial(name, readFileSync(file, 'utf8'));
    }
  }

  render(name: string, context: object): string {
    let template = this.compiled.get(name);
    if (!template) {
      const source = readFileSync(join(this.root, `${name}.hbs`), 'utf8');
      template = this.hbs.compile(source, { strict: true });
      this.compiled.set(name, template);
    }
    return template(context);
  }

  private walk(dir: string): string[] {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return [];
    }
    return entries.flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? this.walk(path) : path.endsWith('.hbs') ? [path] : [];
    });
  }
}
