import { Module } from '@nestjs/common';

/** The yearly blue book (学前教育蓝皮书): HTML and PDF with server-side charts. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class BlueBookModule {}
