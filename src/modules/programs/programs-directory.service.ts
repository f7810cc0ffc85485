import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import type { Permission } from '../../common/permissions.js';
import { Program } from './programs.entities.js';

/** Looks programs up for the other parts of the programs feature (teams, contests) and checks the caller's reach over them. */
@Injectable()
export class ProgramsDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(programId: string, manager?: EntityManager): Promise<Program | null> {
    return (manager ?? this.db.manager).getRepository(Program).findOneBy({ id: programId });
  }

  /** The org path of the program's district ('/<city>/<district>'). */
  async districtPath(program: Program, manager?: EntityManager): Promise<string> {
    const rows: Array<{ path: string }> = await (manager ?? this.db.manager).query('SELECT path FROM org_unit WHERE id = $1', [program.districtId]);
    return rows[0].path;
  }

  /** The program when the caller holds `permission` over its district; else 404 (out of scope reads the same as unknown). */
  async forManager(access: AccessContext, programId: string, permission: Permission = 'programs.manage', manager?: EntityManager): Promise<Program> {
    const program = await this.get(programId, manager);
    if (program && access.canAt(permission, await this.districtPath(program, manager))) return program;
    throw new NotFound('program', programId);
  }

  /**
   * The program when the caller may see it: district staff of its district always; anyone else
   * (teachers, kindergarten admins) once it is published and it belongs to the district they work in.
   */
  async forViewer(access: AccessContext, programId: string, manager?: EntityManager): Promise<Program> {
    const program = await this.get(programId, manager);
    if (program) {
      const path = await this.districtPath(program, manager);
      if (access.canAt('programs.manage', path)) return program;
      if (program.status !== 'draft' && (await this.inDistrict(access, program.districtId, path, manager))) return program;
    }
    throw new NotFound('program', programId);
  }

  private async inDistrict(access: AccessContext, districtId: string, path: string, manager?: EntityManager): Promise<boolean> {
    if (access.grants.some((g) => g.orgPaths.some((p) => p.startsWith(path) || path.startsWith(p)))) return true;
    if (!access.personId) return false;
    const rows: Array<{ districtId: string }> = await (manager ?? this.db.manager).query(
      'SELECT district_id AS "districtId" FROM person WHERE id = $1', [access.personId]);
    return rows[0]?.districtId === districtId;
  }
}
