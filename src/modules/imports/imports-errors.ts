import { Conflict, Forbidden, NotFound } from '../../common/errors.js';

export class ImportNotFound extends NotFound {
  constructor(id?: string) {
    super('import', id);
  }
}

/** Confirming before the dry run has finished, or after it failed or was cancelled. */
export class ImportNotReady extends Conflict {
  constructor(status: string) {
    super('IMPORT_NOT_READY', `The import cannot be confirmed while it is ${status}`, { status });
  }
}

export class ImportMappingNeeded extends Conflict {
  constructor(fields: string[]) {
    super('IMPORT_MAPPING_NEEDED', `Choose the columns of ${fields.join(', ')} first`, { fields });
  }
}

/** Cancelling or re-mapping once the rows are being written (or were). */
export class ImportAlreadyApplying extends Conflict {
  constructor(status: string) {
    super('IMPORT_ALREADY_APPLYING', `The import is ${status}; it can no longer be changed or cancelled`, { status });
  }
}

/** Imports load a district's data: a role above district level has no district to load into. */
export class ImportNeedsDistrict extends Forbidden {
  constructor() {
    super('IMPORT_NEEDS_DISTRICT', 'Imports are run by the HR of one district');
  }
}
