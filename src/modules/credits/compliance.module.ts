import { Module } from '@nestjs/common';

/** Requirement schemes and whether a person meets them (an exact allocation, explained). */
@Module({})
export class ComplianceModule {}
