import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FieldCipher } from '../../common/field-cipher.js';
import { Person } from './person.entity.js';

/** Small look-ups other modules need about people (sign-in by phone, display names). */
@Injectable()
export class PeopleDirectory {
  constructor(
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly cipher: FieldCipher,
  ) {}

  async personIdsByPhone(phone: string): Promise<string[]> {
    const rows = await this.people.find({ select: { id: true }, where: { phoneHash: this.cipher.lookupHash(phone) } });
    return rows.map((r) => r.id);
  }

  /** The org path of the person's current kindergarten (or district when not employed), for scope checks elsewhere. */
  async personOrgPath(personId: string): Promise<{ path: string; districtId: string; fullName: string } | null> {
    const rows: { path: string; district_id: string; full_name: string }[] = await this.people.query(
      `SELECT coalesce(k.path, d.path) AS path, p.district_id, p.full_name FROM person p
         JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.id = $1`, [personId]);
    return rows[0] ? { path: rows[0].path, districtId: rows[0].district_id, fullName: rows[0].full_name } : null;
  }
}
