import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import pino from 'pino';
import request from 'supertest';
import { AppModule } from '../../../src/app.module';
import { ReportsModule } from '../../../src/reports/reports.module';
import { testConfig } from '../../support/test-config';
import { parseCsv } from './csv-parse';
import { useReportLedger } from './report-fixture';
import { startReportsApp } from './reports-app';

const TOKEN = 'test-token-0123456789abcdef';

describe('GET /api/reports/:report', () => {
  const ledger = useReportLedger();
  let app: INestApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKEN}`);

  beforeAll(async () => {
    app = await startReportsApp(ledger.db().url, new Date('2026-06-30T15:00:00Z'), TOKEN);
  });
  afterAll(async () => app.close());

  it('is part of the app', () => {
    const runtime = { config: testConfig(), databaseUrl: ledger.db().url, apiToken: TOKEN, logger: pino({ level: 'silent' }) };
    expect(AppModule.forRoot(runtime).imports).toContain(ReportsModule);
  });

  it('answers JSON by default, money as exact major-unit strings, as of today (UTC) unless asked', async () => {
    const past = (await get('/api/reports/aging?asOf=2026-03-31').expect(200)).body;
    expect(past).toEqual(
      expect.objectContaining({
        report: 'aging',
        asOf: '2026-03-31',
        columns: expect.arrayContaining([{ key: 'total', header: 'Total open', type: 'money' }]),
      }),
    );
    expect(past.rows[0]).toEqual(
      expect.objectContaining({ client_id: 'cus_alpha', currency: 'eur', current: '400.00', days_31_60: '700.00', total: '1700.00', invoices: 3 }),
    );
    const today = (await get('/api/reports/behaviour').expect(200)).body;
    expect([today.asOf, today.from, today.to]).toEqual(['2026-06-30', '2026-04-02', '2026-06-30']);
  });

  it('serves CSV and XLSX as downloads', async () => {
    const csv = await get('/api/reports/discounts?asOf=2026-04-30&from=2026-03-01&to=2026-04-30&format=csv').expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="payrisk-discounts-2026-03-01_2026-04-30_as-of-2026-04-30.csv"');
    const rows = parseCsv(csv.text);
    expect(rows[1].slice(0, 4)).toEqual(['client', 'cus_alpha', 'Alpha Studio', 'eur']);
    expect(rows[1].slice(-4)).toEqual(['2', '250.00', '1250.00', '0.2']);

    const xlsx = await get('/api/reports/dso?asOf=2026-03-31&from=2026-01-01&format=xlsx')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['DSO EUR', 'DSO USD', 'Report']);
    expect((workbook.getWorksheet('DSO EUR') as ExcelJS.Worksheet).getRow(4).getCell(9).value).toBe(91.9);
  });

  it('explains bad requests, and keeps reports behind the API token', async () => {
    expect((await get('/api/reports/profit').expect(404)).body.error.message).toBe('Report profit not found');
    expect((await get('/api/reports/aging?asOf=31-03-2026').expect(400)).body.error.message).toBe('asOf: expected a date as YYYY-MM-DD');
    expect((await get('/api/reports/dso?from=2026-05-01&to=2026-04-01').expect(400)).body.error.message).toBe('from (2026-05-01) is after to (2026-04-01)');
    expect((await get('/api/reports/aging?format=pdf').expect(400)).body.error.message).toBe('format: expected one of json, csv, xlsx');
    await request(app.getHttpServer()).get('/api/reports/aging').expect(401);
  });
});
