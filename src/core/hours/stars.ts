/** 志愿星级: approved hours at which a volunteer reaches one to five stars. */
export const starThresholds = [100, 300, 600, 1000, 1500] as const;

/** 0 to 5 stars for a number of approved hours. Pure. */
export function starsFor(hours: number): number {
  return starThresholds.filter((t) => hours >= t).length;
}

/** How many more hours to the next star, and which star that is; null at five stars. Pure. */
export function nextStar(hours: number): { hours: number; stars: number } | null {
  const next = starThresholds.find((t) => hours < t);
  if (next === undefined) return null;
  return { hours: Math.round((next - hours) * 100) / 100, stars: starThresholds.indexOf(next) + 1 };
}
