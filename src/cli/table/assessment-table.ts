import { plainReason } from '../../common/evidence/describe-evidence';
import type { LatestAssessment } from '../../risk/persistence/latest-assessments.query';
import { renderTable, TableOptions } from '../../common/table/render-table';

/** The `payrisk detect` table: one line per client, highest score first, the name beside its id, the first reason in words. */
export function formatAssessmentTable(rows: LatestAssessment[], options: TableOptions = {}): string {
  return renderTable(
    [{ header: 'SCORE', align: 'right' }, { header: 'LEVEL' }, { header: 'CLIENT' }, { header: 'FLAGS' }, { header: 'WHY' }],
    rows.map((row) => [
      String(row.score),
      row.level,
      row.name ? `${row.name} (${row.customerId})` : row.customerId,
      row.flags.join(', ') || '-',
      row.flags.length > 0 ? plainReason(row.reasons[row.flags[0]] ?? '') : '',
    ]),
    options,
  );
}
