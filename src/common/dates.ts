/** The district's clock: dates and times are shown, typed and reasoned about in China Standard Time (UTC+8, no daylight saving). */
export const TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

function toDate(value: Date | string | null | undefined): Date | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `YYYY-MM-DD HH:mm` in Shanghai time, for display; empty for no value. */
export function shanghaiDateTime(value: Date | string | null | undefined): string {
  const date = toDate(value);
  return date ? new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ') : '';
}

/** The calendar date (YYYY-MM-DD) in Shanghai at the instant `at` (today by default). */
export function shanghaiDate(at: Date = new Date()): string {
  return shanghaiDateTime(at).slice(0, 10);
}

export function shanghaiTime(value: Date | string | null | undefined): string {
  return shanghaiDateTime(value).slice(11, 16);
}

/** The value of a `datetime-local` input (`YYYY-MM-DDTHH:mm`) in Shanghai time. */
export function shanghaiInputValue(value: Date | string | null | undefined): string {
  return shanghaiDateTime(value).replace(' ', 'T');
}

/** A `datetime-local` input typed in Shanghai time as ISO 8601 with its offset; anything else passes through for validation to name. */
export function fromShanghaiInput(text: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}:00+08:00` : text;
}

/** ISO 8601 date-time with an explicit offset (or Z), e.g. 2026-12-03T13:30:00+08:00. */
export const ZONED_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export function isZonedDateTime(value: unknown): value is string {
  return typeof value === 'string' && ZONED_DATE_TIME.test(value) && !Number.isNaN(new Date(value).getTime());
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
