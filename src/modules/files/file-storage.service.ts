import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { FILE_STORAGE_BACKEND, type FileStorageBackend } from './file-storage.backend.js';
import { sniffType, type SniffedType } from './file-types.js';
import { StoredFile, type FilePurpose } from './stored-file.entity.js';
import { ZIP_BASED_TYPES, zipProblem } from './zip-guard.js';

/** What teachers hand in: documents, slides, sheets, photos, lesson videos and recordings. */
const TEACHING_WORK: readonly SniffedType[] = [
  'application/pdf', 'image/jpeg', 'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
  'video/mp4', 'video/quicktime', 'audio/mp4', 'audio/mpeg',
];

/** Spreadsheets uploaded for import, and import results and exports we write. */
const SPREADSHEETS: readonly SniffedType[] = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'];

/** What may be stored for each purpose, by the bytes' real type. */
const ALLOWED_TYPES: Record<FilePurpose, readonly SniffedType[]> = {
  claim_evidence: ['application/pdf', 'image/jpeg', 'image/png'],
  submission: TEACHING_WORK,
  mentoring_evidence: TEACHING_WORK,
  title_evidence: TEACHING_WORK,
  program_attachment: TEACHING_WORK,
  program_output: TEACHING_WORK,
  import_result: SPREADSHEETS,
  export: SPREADSHEETS,
  import: SPREADSHEETS,
  certificate: ['application/pdf'],
  other: [],
};

export interface PutFileOptions {
  originalName: string;
  /** What the client said the file is; recorded nowhere: the stored type is what the bytes are. */
  contentType?: string;
  purpose: FilePurpose;
  ownerUserId: string | null;
  districtId: string | null;
  /** The request field the file came in, named by any refusal (default `file`). */
  field?: string;
  /** Narrower limits than the purpose's, e.g. an assignment's allowed types and size. */
  limits?: FileLimits;
  /**
   * For files the platform wrote itself (an export): their type, which must be one the purpose allows.
   * They skip the upload size limit and the sniffing of uploads (a CSV export may quote text that looks like markup).
   */
  generatedAs?: SniffedType;
}

export interface FileLimits {
  /** Sniffed types allowed; only those the purpose allows count. */
  types?: readonly string[];
  maxBytes?: number | null;
}

/** Uploaded files: checked (size, real type), hashed, written to the storage backend, recorded in stored_file. */
@Injectable()
export class FileStorageService {
  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    @Inject(FILE_STORAGE_BACKEND) private readonly backend: FileStorageBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.UPLOAD_MAX_BYTES;
  }

  /** Why these bytes cannot be stored for the purpose (empty: they can), each problem naming `field`. */
  inspect(bytes: Buffer, purpose: FilePurpose, field = 'file', limits: FileLimits = {}): FieldProblem[] {
    if (bytes.length === 0) return [{ field, code: 'FILE_EMPTY', message: `${field} is empty` }];
    const maxBytes = Math.min(this.maxBytes, limits.maxBytes ?? Infinity);
    if (bytes.length > maxBytes) {
      return [{ field, code: 'FILE_TOO_LARGE', message: `${field} is larger than ${maxBytes} bytes` }];
    }
    const allowed = ALLOWED_TYPES[purpose].filter((t) => !limits.types || limits.types.includes(t));
    const type = sniffType(bytes);
    if (!type || !allowed.includes(type)) {
      return [{ field, code: 'FILE_TYPE_NOT_ALLOWED', message: `${field} must be ${allowed.join(', ') || 'nothing yet'}` }];
    }
    // Office files are ZIP archives: a zip bomb is refused here, before anyone opens it.
    const archive = ZIP_BASED_TYPES.has(type) ? zipProblem(bytes, field) : null;
    return archive ? [archive] : [];
  }

  /**
   * Stores the bytes and records them (in `manager`'s transaction when given). When that transaction
   * later rolls back, the caller calls `discard` so no bytes are left without a record.
   */
  async put(bytes: Buffer, options: PutFileOptions, manager?: EntityManager): Promise<StoredFile> {
    const generated = options.generatedAs;
    if (generated && !ALLOWED_TYPES[options.purpose].includes(generated)) throw new Error(`${generated} is not a type of ${options.purpose} files`);
    const problems = generated ? [] : this.inspect(bytes, options.purpose, options.field, options.limits);
    if (problems.length) throw new ValidationFailed(problems);
    const now = new Date();
    const key = `${options.purpose.replace('_', '-')}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
    await this.backend.write(key, bytes);
    try {
      const repository = manager ? manager.getRepository(StoredFile) : this.files;
      return await repository.save(repository.create({
        districtId: options.districtId, ownerUserId: options.ownerUserId, purpose: options.purpose,
        originalName: safeName(options.originalName), contentType: generated ?? sniffType(bytes)!, sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'), storageKey: key,
      }));
    } catch (error) {
      await this.backend.remove(key);
      throw error;
    }
  }

  /** Removes the bytes of a file whose record was rolled back. */
  async discard(file: Pick<StoredFile, 'storageKey'>): Promise<void> {
    await this.backend.remove(file.storageKey);
  }

  async get(id: string): Promise<StoredFile | null> {
    return this.files.findOneBy({ id });
  }

  async open(file: StoredFile): Promise<Readable> {
    return this.backend.read(file.storageKey);
  }
}

/** The client's file name for display and downloads only: no folders, no control characters, at most 255 characters. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return [...(base || 'file')].slice(0, 255).join('');
}
