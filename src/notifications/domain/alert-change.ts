import { flagWords } from '../../common/evidence/describe-evidence';
import { levelRank, RISK_LEVELS, type RiskLevel } from '../../common/vocabulary';

// Pure: decides whether one assessment, compared with the client's previous one, deserves an alert.

/** A stored level's rank; a word outside the vocabulary ranks as `ok`. */
const rankOf = (level: string): number => ((RISK_LEVELS as readonly string[]).includes(level) ? levelRank(level as RiskLevel) : 0);

export interface AssessmentSnapshot {
  level: string;
  flags: string[];
}

export interface AlertChange {
  fromLevel: string | null;
  toLevel: string;
  newFlags: string[];
  levelRose: boolean;
  /** Plain-words lines, e.g. "level rose from watch to risky". */
  lines: string[];
}

/** An alert announces a client getting worse: never a level going down, never a client at `ok`. */
export const announces = (fromLevel: string | null, toLevel: string): boolean => rankOf(toLevel) > 0 && rankOf(toLevel) >= (fromLevel ? rankOf(fromLevel) : 0);

/**
 * An alert is due when the client gained a flag or its level rose. A level going down,
 * a flag going away, or a new flag on a client still (or again) `ok`, is left to the
 * weekly digest (issue 7, "quiet rules"): no "X is now ok" email.
 */
export function alertChange(previous: AssessmentSnapshot | null, current: AssessmentSnapshot): AlertChange | null {
  const before = new Set(previous?.flags ?? []);
  const newFlags = current.flags.filter((flag) => !before.has(flag));
  const levelRose = rankOf(current.level) > (previous ? rankOf(previous.level) : 0);
  if (newFlags.length === 0 && !levelRose) return null;
  if (!announces(previous?.level ?? null, current.level)) return null;
  const lines: string[] = [];
  if (levelRose) lines.push(previous ? `level rose from ${previous.level} to ${current.level}` : `assessed ${current.level} for the first time`);
  for (const flag of newFlags) lines.push(`newly flagged: ${flagWords(flag).toLowerCase()}`);
  return { fromLevel: previous?.level ?? null, toLevel: current.level, newFlags, levelRose, lines };
}

/**
 * Folds a batch of changes (same client, within the batch window) into one; null when the
 * batch ends where it started or lower (the client got better again before the alert left).
 */
export function mergeChanges(first: AlertChange, next: AlertChange): AlertChange | null {
  if (!announces(first.fromLevel, next.toLevel)) return null;
  const newFlags = [...new Set([...first.newFlags, ...next.newFlags])];
  return {
    fromLevel: first.fromLevel,
    toLevel: next.toLevel,
    newFlags,
    levelRose: rankOf(next.toLevel) > (first.fromLevel ? rankOf(first.fromLevel) : 0),
    lines: [...first.lines, ...next.lines],
  };
}
