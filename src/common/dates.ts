/** The district's clock: dates and times are shown and reasoned about in China Standard Time. */
export const TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) in Shanghai at the instant `at`. */
export function shanghaiDate(at: Date = new Date()): string {
  return dateFormat.format(at);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
