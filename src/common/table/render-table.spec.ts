import stringWidth from 'string-width';
import { renderTable, wrapCell } from './render-table';

describe('renderTable', () => {
  const columns = [{ header: 'SCORE', align: 'right' as const }, { header: 'CLIENT' }, { header: 'CUSTOMER' }, { header: 'WHY' }];
  const rows = [
    ['88', '株式会社サクラ', 'cus_sakura', 'paid 5 of the last 6 invoices late'],
    ['74', 'Toxic Ltd 😈', 'cus_toxic', '4 discount events in 180 days'],
    ['5', 'Plain Co', 'cus_plain', ''],
  ];

  it('aligns columns by terminal cells, CJK and emoji counting double', () => {
    const lines = renderTable(columns, rows).split('\n');
    expect(lines[0]).toMatch(/^SCORE {2}CLIENT +CUSTOMER +WHY$/);
    // Every CUSTOMER value starts at the same terminal column, whatever the name before it holds.
    const at = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    const start = at(lines[0], 'CUSTOMER');
    expect(at(lines[1], 'cus_sakura')).toBe(start);
    expect(at(lines[2], 'cus_toxic')).toBe(start);
    expect(at(lines[3], 'cus_plain')).toBe(start);
    expect(lines[3]).toMatch(/^ {4}5 {2}Plain Co/); // numbers right-aligned
  });

  it('wraps instead of cutting when the terminal is narrow, and nothing is lost', () => {
    const text = renderTable(columns, rows, { width: 50 });
    for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    for (const row of rows) for (const cell of row) for (const word of words(cell)) expect(text).toContain(word);
  });

  it('never leaves a bracket or a wide character cut in half', () => {
    const pieces = wrapCell('株式会社サクラ (cus_sakura)', 7);
    expect(pieces.join('')).toBe('株式会社サクラ(cus_sakura)');
    for (const piece of pieces) expect(stringWidth(piece)).toBeLessThanOrEqual(7);
    expect(pieces).toContain('(cus_sa');
  });
});
