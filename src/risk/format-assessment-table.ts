import type { LatestAssessment } from './risk-assessment.service';

/** The `payrisk detect` table: one line per client, highest score first, with the first reason. */
export function formatAssessmentTable(rows: LatestAssessment[]): string {
  const header = ['SCORE', 'LEVEL', 'CLIENT', 'FLAGS', 'WHY'];
  const lines = rows.map((row) => [
    String(row.score),
    row.level,
    `${row.name ?? ''} (${row.customerId})`.trim(),
    row.flags.join(',') || '-',
    row.flags.length > 0 ? (row.reasons[row.flags[0]] ?? '') : '',
  ]);
  const widths = header.map((title, i) => Math.min(48, Math.max(title.length, ...lines.map((line) => line[i].length))));
  const render = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.slice(0, widths[i]).padEnd(widths[i]))).join('  ');
  return [render(header), ...lines.map(render)].join('\n');
}
