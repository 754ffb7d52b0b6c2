import type { ReportFormat } from './render-report';

export type OutputTarget = { kind: 'file'; path: string } | { kind: 'stdout' } | { kind: 'refused'; reason: string };

/**
 * Where the CLI writes a report: `--out FILE` when given; otherwise stdout, except a
 * workbook (binary) to a terminal, which would only scramble it.
 */
export function outputTarget(format: ReportFormat, out: string | undefined, stdoutIsTty: boolean): OutputTarget {
  if (out) return { kind: 'file', path: out };
  if (format === 'xlsx' && stdoutIsTty) {
    return { kind: 'refused', reason: '--format xlsx writes a binary workbook: pass --out FILE.xlsx (or redirect stdout to a file)' };
  }
  return { kind: 'stdout' };
}
