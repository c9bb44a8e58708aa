/**
 * Minutes of service → hours credited, by a community's rule (Community.hoursRoundMinutes and
 * hoursMinMinutes; default: to the nearest half hour, and under 15 minutes counts 0). Halves round
 * up, and a stay that counts at all counts at least one unit: with the defaults 14 min → 0,
 * 15 min → 0.5, 44 min → 0.5, 45 min → 1, 1 h 44 min → 1.5, 1 h 45 min → 2. Pure.
 */
export function roundHours(minutes: number, rule: { roundMinutes: number; minMinutes: number } = { roundMinutes: 30, minMinutes: 15 }): number {
  if (!Number.isFinite(minutes) || minutes < rule.minMinutes || minutes <= 0) return 0;
  const unit = Math.max(1, rule.roundMinutes);
  const units = Math.max(1, Math.floor(minutes / unit + 0.5));
  return Math.round(((units * unit) / 60) * 100) / 100;
}
