/** ★★ for a star level (empty for none). */
export function starText(stars: number): string {
  return '★'.repeat(stars);
}

/** Hours as people read them: 2, 1.5, 0.25. */
export function hoursText(hours: number): string {
  return String(Math.round(hours * 100) / 100);
}
