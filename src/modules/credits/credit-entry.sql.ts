/**
 * SQL condition on `credit_entry e` for the entries that still count: neither a reversal row nor
 * an entry that has been reversed (the pair nets to zero).
 */
export const ENTRY_STANDS = `e.reverses_entry_id IS NULL AND NOT EXISTS (SELECT 1 FROM credit_entry r WHERE r.reverses_entry_id = e.id)`;
