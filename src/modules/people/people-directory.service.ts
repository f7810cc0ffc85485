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
}
