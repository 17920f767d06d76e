import type { Lang } from '../i18n/index.ts';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "3 minutes ago", "2일 전": coarse on purpose, the exact time is in the title. */
export function relativeTime(ts: number, now: number, lang: Lang): string {
  const seconds = Math.round((ts - now) / 1000);
  const fmt = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return fmt.format(Math.trunc(seconds / size), unit);
    }
  }
  return fmt.format(0, 'second');
}

export function fullTime(ts: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'medium' }).format(new Date(ts));
}
