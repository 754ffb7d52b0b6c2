import type { HTMLAttributes, ReactNode } from 'react';

/** A wide table scrolls sideways inside a focusable region, so a keyboard can scroll it too. */
export function ScrollRegion({ label = 'Table (scrolls sideways)', children }: { label?: string; children: ReactNode }) {
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

export interface Column<Row> {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Right-aligned figures (money, counts). */
  numeric?: boolean;
  /** The cell names its row (`<th scope="row">`), e.g. the currency of a per-currency row. */
  rowHeader?: boolean;
}

/**
 * The one table of the dashboard: column headers, one row per item, numbers right-aligned,
 * inside a sideways-scrolling region. Pages that sort or select (TanStack tables) use
 * `ScrollRegion` around their own table.
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  rowProps,
  testId,
  caption,
  label,
  className,
}: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row, index: number) => string | number;
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  testId?: string;
  caption?: ReactNode;
  label?: string;
  className?: string;
}) {
  return (
    <ScrollRegion label={label}>
      <table data-testid={testId} className={className}>
        {caption && <caption className="muted">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} {...rowProps?.(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th key={column.key} scope="row">
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.key} className={column.numeric ? 'num' : undefined}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
