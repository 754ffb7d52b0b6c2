import { money } from '../common/money';
import { formatDemoSummary } from './format-demo-summary';

const data = {
  levels: [
    { level: 'critical', count: 0 },
    { level: 'risky', count: 1 },
    { level: 'watch', count: 2 },
    { level: 'ok', count: 5 },
  ],
  flagged: [
    {
      customerId: 'cus_1',
      name: 'Larkspur Labs',
      level: 'risky',
      score: 73,
      reasons: ['paid 3 of the last 6 invoices late, 8 days on median', '4 discount events'],
    },
  ],
  proposed: [{ id: '0b86c03e-73a8-4505-8fb5-104ef1cd17c9', kind: 'late_fee', clientName: 'Larkspur Labs', amount: money(7350, 'eur') }],
  applied: [{ kind: 'work_pause', count: 3 }],
  flaggedTotal: 1,
  proposedTotal: 1,
  paused: ['Quince & Daughters', 'Rowan 株式会社'],
};

describe('the start-up summary', () => {
  it('lists levels, flagged clients with their reasons, proposals with ids and amounts, and where to look', () => {
    const text = formatDemoSummary(data, {
      apiDocs: 'http://localhost:3000/api/docs',
      outboxDir: '/x/.payrisk/outbox',
      sandboxUrl: 'http://127.0.0.1:5',
      sandboxSecretKey: 'sk_test_1',
    });
    expect(text).toContain('Clients by level: 0 critical, 1 risky, 2 watch, 5 ok');
    expect(text).toContain('  risky     73  Larkspur Labs (cus_1): paid 3 of the last 6 invoices late, 8 days on median; 4 discount events');
    expect(text).toContain('Applied: 3 work_pause');
    expect(text).toContain('Waiting for your approval (links in the emails, or "npx payrisk actions approve ID"):');
    expect(text).toContain('  0b86c03e-73a8-4505-8fb5-104ef1cd17c9  late_fee       Larkspur Labs  €73.50');
    expect(text).toContain('Owner emails: /x/.payrisk/outbox');
    expect(text).toContain('Stripe sandbox: STRIPE_API_BASE=http://127.0.0.1:5 STRIPE_SECRET_KEY=sk_test_1');
  });

  it("says when nothing waits, and uses the caller's hint", () => {
    expect(formatDemoSummary({ ...data, proposed: [], proposedTotal: 0 }, { apiDocs: 'd', outboxDir: 'o' })).toContain('Nothing waits for your approval.');
    expect(formatDemoSummary(data, { apiDocs: 'd', outboxDir: 'o', approveHint: 'ask later' })).toContain('Waiting for your approval (ask later):');
  });

  it('names every flagged client or says how many more, names the paused ones, and points to the dashboard', () => {
    const text = formatDemoSummary(
      { ...data, flaggedTotal: 31, proposedTotal: 18 },
      {
        apiDocs: 'd',
        outboxDir: 'o',
        dashboardUrl: 'http://localhost:3000/',
        signInUrl: 'http://localhost:3000/login?code=abc',
        logFile: '/h/logs/payrisk.log',
      },
    );
    expect(text).toContain('  … and 30 more');
    expect(text).toContain('  … and 17 more');
    expect(text).toContain('Work paused until they pay: Quince & Daughters, Rowan 株式会社');
    expect(text).toContain('Dashboard: http://localhost:3000/\n  dashboard sign-in link (one use, 15 minutes): http://localhost:3000/login?code=abc');
    expect(text).toContain('Log: /h/logs/payrisk.log');
  });
});
