import { relative } from 'node:path';
import type { TemplateRegistry } from '../views/handlebars.js';
import { TEMPLATES_DIR } from '../paths.js';
import { shellContext } from './page-shell.js';

type EngineCallback = (error: Error | null, html?: string) => void;

/**
 * An Express view engine over the template registry: renders `pages/...` in strict mode, then
 * wraps it in `layouts/main` with the shell (navigation, language, CSRF token, flash messages).
 */
export function pageEngine(templates: TemplateRegistry) {
  return (file: string, options: Record<string, unknown>, callback: EngineCallback) => {
    try {
      const name = relative(TEMPLATES_DIR, file).replace(/\.hbs$/, '');
      const { settings: _settings, _locals, cache: _cache, ...data } = options as Record<string, unknown> & { _locals?: Record<string, unknown> };
      const shell = shellContext(options, String(options.currentPath ?? ''));
      // The shell's names (locale, user, nav, csrfToken, flash, currentPath…) are reserved: they win over page data.
      const context = { ...data, ...shell, title: data.title ?? null, layout: undefined };
      const body = templates.render(name, context);
      if (data.layout === false) return callback(null, body);
      callback(null, templates.render('layouts/main', { ...context, body }));
    } catch (error) {
      callback(error as Error);
    }
  };
}
