import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import type { FilePurpose, StoredFile } from './stored-file.entity.js';

/** Whether the caller may read a file that is not their own; the module that owns the purpose decides. */
export type FileReadCheck = (access: AccessContext, file: StoredFile) => Promise<boolean>;

/** Checks registered by purpose (claims register `claim_evidence` in onModuleInit), so files need not know their users. */
@Injectable()
export class FileAccessRegistry {
  private readonly checks = new Map<FilePurpose, FileReadCheck>();

  register(purpose: FilePurpose, check: FileReadCheck): void {
    this.checks.set(purpose, check);
  }

  async mayRead(access: AccessContext, file: StoredFile): Promise<boolean> {
    if (file.ownerUserId === access.userId) return true;
    const check = this.checks.get(file.purpose);
    return check ? check(access, file) : false;
  }
}
