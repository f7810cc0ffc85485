import { Module } from '@nestjs/common';

/** File storage: local disk under DATA_DIR by default. */
@Module({})
export class FilesModule {}
