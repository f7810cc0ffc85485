import type { FieldProblem } from '../../common/errors.js';
import type { ImportField } from './row-importer.js';

/**
 * Which column of the file holds which field. Template headers and their aliases are recognised
 * whatever the spacing, full-width letters, a required-marker `*` or a note in brackets
 * (`身份证号（18位）`); anything else the user maps by hand.
 */
export function headerKey(header: string): string {
  return header
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\([^)]*\)/g, '')
    .replace(/[\s*\u3000]/g, '')
    .toLowerCase();
}

/** Field key → the file's header, for every field whose template header or alias is in the file. */
export function autoMapping(fields: readonly ImportField[], headers: readonly string[]): Record<string, string> {
  const byKey = new Map<string, string>();
  for (const header of headers) if (header.trim() && !byKey.has(headerKey(header))) byKey.set(headerKey(header), header);
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  // Template headers first, so an alias of one field never takes another field's own column.
  for (const pass of ['own', 'alias'] as const) {
    for (const field of fields) {
      if (mapping[field.key]) continue;
      const names = pass === 'own' ? [field.headerZh, field.headerEn, field.key] : field.aliases ?? [];
      const header = names.map((name) => byKey.get(headerKey(name))).find((h) => h !== undefined && !used.has(h));
      if (header !== undefined) {
        mapping[field.key] = header;
        used.add(header);
      }
    }
  }
  return mapping;
}

/** Required fields without a column: while any is left, the import waits in its mapping step. */
export function missingRequired(fields: readonly ImportField[], mapping: Record<string, string>): string[] {
  return fields.filter((f) => f.required && !mapping[f.key]).map((f) => f.key);
}

/** Why a mapping chosen by hand cannot be used: unknown fields, headers not in the file, one column for two fields. */
export function mappingProblems(fields: readonly ImportField[], headers: readonly string[], mapping: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, string>();
  for (const [key, header] of Object.entries(mapping)) {
    const field = `mapping.${key}`;
    if (!fields.some((f) => f.key === key)) {
      problems.push({ field, code: 'UNKNOWN_FIELD', message: `${key} is not a field of this import` });
    } else if (header === '' || header === null) {
      continue;
    } else if (typeof header !== 'string' || !headers.includes(header)) {
      problems.push({ field, code: 'UNKNOWN_COLUMN', message: `${field} must be one of the file's column headers` });
    } else if (seen.has(header)) {
      problems.push({ field, code: 'COLUMN_TAKEN', message: `the column ${header} is already mapped to ${seen.get(header)}` });
    } else {
      seen.set(header, key);
    }
  }
  for (const key of missingRequired(fields, cleanMapping(mapping))) {
    if (!problems.some((p) => p.field === `mapping.${key}`)) {
      problems.push({ field: `mapping.${key}`, code: 'COLUMN_REQUIRED', message: `${key} needs a column` });
    }
  }
  return problems;
}

/** The mapping without blank choices ("no column"). */
export function cleanMapping(mapping: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/** Turns a row's cells into trimmed field values (empty cells left out), by column position. */
export function rowReader(headers: readonly string[], mapping: Record<string, string>): (cells: string[]) => Record<string, string> {
  const columns = Object.entries(mapping).map(([key, header]) => [key, headers.indexOf(header)] as const).filter(([, at]) => at >= 0);
  return (cells) => {
    const values: Record<string, string> = {};
    for (const [key, at] of columns) {
      const value = (cells[at] ?? '').trim();
      if (value !== '') values[key] = value;
    }
    return values;
  };
}
