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
import { S3Backend, s3SettingsFrom } from './s3.backend.js';
import { StoredFile } from './stored-file.entity.js';
import { UploadParser } from './upload-parser.js';

/** File storage: local disk under DATA_DIR/files, or an S3-compatible bucket with FILE_STORAGE=s3. */
@Module({
  imports: [TypeOrmModule.forFeature([StoredFile])],
  providers: [
    {
      provide: FILE_STORAGE_BACKEND,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.FILE_STORAGE === 's3' ? new S3Backend(s3SettingsFrom(config)) : new LocalDiskBackend(resolve(config.DATA_DIR, 'files')),
    },
    FileStorageService, FileAccessRegistry, UploadParser,
  ],
  controllers: [FilesController],
  exports: [FileStorageService, FileAccessRegistry, UploadParser],
})
export class FilesModule {}
