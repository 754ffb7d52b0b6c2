const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** "7d", "12h", "90m", "3600s", "2w" → seconds; anything else is an error that says what is expected. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) throw new RangeError(`expected a duration like 7d, 12h, 30m or 3600s (got "${text}")`);
  return Number(match[1]) * UNITS[match[2]];
}
