import type { EntityManager } from 'typeorm';
import type { ImportKind, RowOutcome, RowProblem } from './imports.entities.js';

/** A column the importer understands: its key, the Chinese header of the template, and other headers taken as the same column. */
export interface ImportField {
  key: string;
  headerZh: string;
  headerEn: string;
  required: boolean;
  /** Other spellings recognised without a mapping step (e.g. 身份证号 for 身份证号码). */
  aliases?: string[];
  /** Example value for the downloadable template. */
  example?: string;
  /** The words accepted (listed on the template's instructions sheet), when the field takes a fixed list. */
  choices?: readonly string[];
}

/** One data row of the file, its cells keyed by field key after the column mapping (trimmed; empty cells absent). */
export interface SourceRow {
  rowNumber: number;
  values: Record<string, string>;
}

/** A row's dry-run outcome and the normalised values `apply` will write. */
export interface CheckedRow {
  outcome: RowOutcome;
  /** National ID hash (people), code (org units), or the entry's idempotency key (credit history). */
  matchKey: string | null;
  errors: RowProblem[];
  data: Record<string, unknown>;
}

/** State shared by the batches of one job's dry run (in-file duplicates, caches). Rebuilt when a dry run restarts. */
export interface ImportRunContext {
  jobId: string;
  districtId: string;
  userId: string;
  /** Match keys seen earlier in this file, with the row they were first seen on. */
  seenKeys: Map<string, number>;
  cache: Map<string, unknown>;
}

/** Who runs the apply: the job, its district and the user who confirmed it. */
export interface ImportApplyContext {
  jobId: string;
  districtId: string;
  userId: string;
}

/**
 * A row `apply` refused because the data changed since the dry run (e.g. the person was meanwhile
 * recorded in another district): the engine records it as an error row instead of an applied one.
 */
export interface RowRejection {
  rowNumber: number;
  errors: RowProblem[];
}

/** A column of the result file beside row number, outcome and reasons: `data[key]` of the checked row, as text. */
export interface ResultColumn {
  key: string;
  headerZh: string;
  headerEn: string;
}

export interface RowToApply {
  rowNumber: number;
  outcome: 'create' | 'update';
  matchKey: string | null;
  data: Record<string, unknown>;
}

/**
 * One kind of import. The engine reads the file as a stream, maps headers to fields, calls `check`
 * for batches of rows during the dry run, stores each outcome, and after confirmation calls
 * `apply` for batches of the create/update rows inside a transaction that also marks them applied
 * (so a crash between batches resumes without writing any row twice). `apply` must be idempotent
 * by match key as well: a row applied twice changes nothing the second time.
 */
export interface RowImporter {
  readonly kind: ImportKind;
  readonly fields: readonly ImportField[];
  /** Identifying columns for the result file (e.g. name, masked national ID); none by default. */
  readonly resultColumns?: readonly ResultColumn[];
  check(rows: SourceRow[], context: ImportRunContext): Promise<CheckedRow[]>;
  /** Writes the rows in the engine's transaction; may answer rows it refused (void: all written). */
  apply(rows: RowToApply[], context: ImportApplyContext, manager: EntityManager): Promise<void | RowRejection[]>;
}

export const ROW_IMPORTERS = Symbol('ROW_IMPORTERS');
