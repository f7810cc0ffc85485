import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { ImportRunner } from './import-runner.service.js';
import { resultFile, templateFile, type SheetFileFormat } from './import-files.js';
import type { ImportKind } from './imports.entities.js';
import { ImportsQuery } from './imports.query.js';
import { ImportsService } from './imports.service.js';

export interface Download {
  filename: string;
  format: SheetFileFormat;
}

/** The template of each kind and the result file of an import, as downloads. */
@Injectable()
export class ImportDownloadsService {
  constructor(private readonly imports: ImportsService, private readonly runner: ImportRunner, private readonly query: ImportsQuery) {}

  async template(kind: ImportKind, format: SheetFileFormat, locale: Locale): Promise<Download & { bytes: Buffer }> {
    const bytes = await templateFile(kind, this.runner.importer(kind), format, locale);
    return { filename: `${translate(locale, 'imports.template.fileName', { kind: translate(locale, `imports.kind.${kind}`) })}.${format}`, format, bytes };
  }

  /** Every row's outcome, streamed from the stored rows (the dry run's, and after the apply whether each was written). */
  async result(access: AccessContext, id: string, format: SheetFileFormat): Promise<Download & { stream: Readable }> {
    const job = await this.imports.inScope(access, id);
    const stream = resultFile(this.query.allRows(id), this.runner.importer(job.kind), job.mapping, format, access.locale);
    const base = job.originalName.replace(/\.[^.]*$/, '');
    return { filename: `${translate(access.locale, 'imports.result.fileName', { name: base })}.${format}`, format, stream };
  }
}
