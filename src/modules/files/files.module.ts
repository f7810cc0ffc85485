import { resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { FileAccessRegistry } from './file-access.registry.js';
import { FILE_STORAGE_BACKEND } from './file-storage.backend.js';
import { FileStorageService } from './file-storage.service.js';
import { FilesController } from './files.controller.js';
import { LocalDiskBackend } from './local-disk.backend.js';
import { StoredFile } from './stored-file.entity.js';
import { UploadParser } from './upload-parser.js';

/** File storage: local disk under DATA_DIR/files (the backend is an interface, so an object store can replace it). */
@Module({
  imports: [TypeOrmModule.forFeature([StoredFile])],
  providers: [
    { provide: FILE_STORAGE_BACKEND, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskBackend(resolve(config.DATA_DIR, 'files')) },
    FileStorageService, FileAccessRegistry, UploadParser,
  ],
  controllers: [FilesController],
  exports: [FileStorageService, FileAccessRegistry, UploadParser],
})
export class FilesModule {}
