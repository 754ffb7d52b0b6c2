import stringWidth from 'string-width';

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
  /** May this column wrap onto more lines when the table is wider than the terminal (default: true for left-aligned). */
  wrap?: boolean;
}

export interface TableOptions {
  /** The terminal's width in columns; no limit when undefined (a pipe, a file). */
  width?: number;
  gap?: number;
}

/** Splits `text` into pieces no wider than `width` terminal columns: at spaces where it can, inside a word only when a word alone is wider. */
export function wrapCell(text: string, width: number): string[] {
  if (width <= 0 || stringWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line) lines.push(line.trimEnd());
    line = '';
  };
  for (const word of text.split(/(\s+)/)) {
    if (!word) continue;
    const candidate = line + word;
    if (stringWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (/^\s+$/.test(word)) {
      push();
      continue;
    }
    push();
    // A word wider than the column: cut it by grapheme, never through a wide character.
    for (const { segment } of new Intl.Segmenter().segment(word)) {
      if (stringWidth(line + segment) > width) push();
      line += segment;
    }
  }
  push();
  return lines.length > 0 ? lines : [''];
}

const pad = (text: string, width: number, align: 'left' | 'right') => {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? fill + text : text + fill;
};

/**
 * The one terminal table of the CLI (detect, actions list, report --format table): a header,
 * columns measured in terminal cells (emoji and CJK count double, via string-width), and
 * cells that wrap onto more lines when the terminal is too narrow — never cut off.
 */
export function renderTable(columns: TableColumn[], rows: string[][], options: TableOptions = {}): string {
  const gap = options.gap ?? 2;
  const widths = columns.map((column, i) => Math.max(stringWidth(column.header), ...rows.map((row) => stringWidth(row[i] ?? ''))));
  if (options.width) {
    const canWrap = columns.map((column) => column.wrap ?? column.align !== 'right');
    const floor = columns.map((column) => Math.max(8, Math.min(stringWidth(column.header), 12)));
    let total = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
    while (total > options.width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (canWrap[i] && widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
      if (widest < 0) break; // nothing left to narrow: the terminal wraps the line itself
      widths[widest]--;
      total--;
    }
  }
  const renderRow = (cells: string[]) => {
    const pieces = columns.map((_, i) => wrapCell(cells[i] ?? '', widths[i]));
    const height = Math.max(...pieces.map((p) => p.length));
    const lines: string[] = [];
    for (let line = 0; line < height; line++) {
      lines.push(
        columns
          .map((column, i) => pad(pieces[i][line] ?? '', widths[i], column.align ?? 'left'))
          .join(' '.repeat(gap))
          .trimEnd(),
      );
    }
    return lines;
  };
  return [...renderRow(columns.map((c) => c.header)), ...rows.flatMap(renderRow)].join('\n');
}

/** The width to lay a table out for: the terminal's when stdout is one, none otherwise. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}
