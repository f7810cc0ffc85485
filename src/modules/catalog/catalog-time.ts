/** Duration of a meeting in hours, rounded to the half hour (the usual 学时 unit), at least half an hour. */
export function defaultMeetingHours(startsAt: Date, endsAt: Date): number {
  const hours = (endsAt.getTime() - startsAt.getTime()) / 3600_000;
  return Math.max(0.5, Math.round(hours * 2) / 2);
}
