import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFound } from './errors.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id in a path; a malformed one is simply not found (never a database type error). */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID_PATTERN.test(value)) throw new NotFound('Record');
    return value.toLowerCase();
  }
}
