import { Controller, Get, Logger, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { FileAccessRegistry } from './file-access.registry.js';
import { FileStorageService } from './file-storage.service.js';
import { servedType } from './file-types.js';

@ApiTags('files')
@ApiBearerAuth()
@Controller('api/files')
export class FilesController {
  private readonly logger = new Logger('Files');

  constructor(private readonly files: FileStorageService, private readonly access: FileAccessRegistry) {}

  /** The file as a download, for its owner and whoever its purpose's module allows; anyone else: not found. */
  @Get(':id')
  @Authorize('signed_in')
  async download(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res({ passthrough: true }) res: Response) {
    const file = await this.files.get(id);
    if (!file || !(await this.access.mayRead(access, file))) throw new NotFound('file', id);
    let stream;
    try {
      stream = await this.files.open(file);
    } catch (error) {
      this.logger.error(`stored file ${id} has no bytes: ${(error as Error).message}`);
      throw new NotFound('file', id);
    }
    // Always a download, never rendered or sniffed by the browser.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    return new StreamableFile(stream, { type: servedType(file.contentType), length: file.sizeBytes, disposition: attachment(file.originalName) });
  }
}

/** `attachment` with an ASCII fallback name and the real (UTF-8) name for browsers that read it. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
