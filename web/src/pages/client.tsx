import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { actionWhat, AuditTrail, Calculation } from '../components/actions-table';
import { Chart } from '../components/chart';
import { DataState, LevelBadge } from '../components/data-state';
import { DataTable } from '../components/data-table';
import { dateOnly, exponent, FLAG_WORDS, formatMoney } from '../format';

type Detail = Schemas['ClientDetailDto_Output'];

export function ClientPage() {
  const { id = '' } = useParams();
  const detail = useQuery({
    queryKey: ['client', id],
    queryFn: async () => unwrap(await api.GET('/api/dashboard/clients/{id}', { params: { path: { id } } })),
  });
  return <DataState query={detail}>{(data) => <ClientBody data={data} />}</DataState>;
}

function ClientBody({ data }: { data: Detail }) {
  const a = data.assessment;
  const timelineOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'time', name: 'due date' },
      yAxis: { type: 'value', name: 'days late' },
      series: [{ type: 'scatter', symbolSize: 9, data: data.timeline.map((t) => [t.dueDate, t.daysLate, t.number ?? t.invoiceId]) }],
    }),
    [data.timeline],
  );
  const historyOption = useMemo(() => {
    const points = [...data.history].reverse();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: points.map((p) => p.assessedAt.slice(0, 10)) },
      yAxis: { type: 'value', min: 0, max: 100, name: 'score' },
      series: [{ type: 'line', step: 'end', data: points.map((p) => p.score) }],
    };
  }, [data.history]);

  return (
    <>
      <h1>{data.name ?? data.customerId}</h1>
      <p className="muted">
        {data.email ?? 'no email'} · {data.customerId} · work <strong data-testid="work-status">{data.workStatus}</strong> ·{' '}
        <a href={data.stripeDashboardUrl} target="_blank" rel="noreferrer">
          Open in Stripe's dashboard
        </a>
      </p>
      {!a ? (
        <p className="state empty">Not assessed yet.</p>
      ) : (
        <div className="grid">
          <section aria-labelledby="score">
            <h2 id="score">
              <LevelBadge level={a.level} /> Score <span data-testid="score">{a.score}</span>
            </h2>
            <p className="muted">Assessed {dateOnly(a.assessedAt)}</p>
            {a.factors.length === 0 ? (
              <p className="state empty">No risk factor.</p>
            ) : (
              <table>
                <caption className="muted">How the score adds up</caption>
                <tbody>
                  {a.factors.map((f) => (
                    <tr key={f.factor} title={f.detail}>
                      <th scope="row">
                        {f.label}
                        {f.detail && <div className="muted small">{f.detail}</div>}
                      </th>
                      <td className="num">+{f.points}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="history">
            <h2 id="history">Score history</h2>
            {data.history.length < 2 ? <p className="muted">One assessment so far.</p> : <Chart option={historyOption} label="Score over time" height={200} />}
          </section>
          <section aria-labelledby="flags" className="wide">
            <h2 id="flags">Why</h2>
            {a.flags.length === 0 && <p className="state empty">No flag: this client pays as agreed.</p>}
            {a.flags.map((flag) => (
              <div key={flag.flag} className="flag" data-flag={flag.flag}>
                <h3>{FLAG_WORDS[flag.flag] ?? flag.flag}</h3>
                <p data-testid={`reason-${flag.flag}`}>{flag.reason}</p>
                <DataTable
                  testId={`evidence-${flag.flag}`}
                  caption="Evidence"
                  rows={flag.evidence}
                  rowKey={(e) => `${e.kind}:${e.id}`}
                  rowProps={(e) => ({ 'data-evidence': e.id })}
                  columns={[
                    { key: 'kind', header: 'Kind', cell: (e) => e.kind.replace('_', ' ') },
                    { key: 'what', header: 'What', cell: (e) => e.detail ?? e.id },
                    { key: 'amount', header: 'Amount', numeric: true, cell: (e) => formatMoney(e.amount.amount, e.amount.currency) },
                    { key: 'date', header: flag.evidence.some((e) => e.kind === 'invoice') ? 'Due date' : 'Date', cell: (e) => e.date.slice(0, 10) },
                    { key: 'paid', header: 'Paid', cell: (e) => (e.paidAt ? dateOnly(e.paidAt) : e.kind === 'invoice' ? 'unpaid' : '—') },
                    { key: 'late', header: 'Days late', numeric: true, cell: (e) => e.daysLate ?? '—' },
                  ]}
                />
              </div>
            ))}
          </section>
        </div>
      )}
      <div className="grid">
        <section aria-labelledby="timeline" className="wide">
          <h2 id="timeline">Payment timeline</h2>
          {data.timeline.length === 0 ? (
            <p className="state empty">No invoice due yet.</p>
          ) : (
            <Chart option={timelineOption} label="Each invoice's days late against its due date" />
          )}
        </section>
        <section aria-labelledby="open">
          <h2 id="open">Open invoices</h2>
          {data.openInvoices.length === 0 ? (
            <p className="state empty">Nothing open.</p>
          ) : (
            <DataTable
              testId="open-invoices"
              rows={data.openInvoices}
              rowKey={(inv) => inv.invoiceId}
              columns={[
                { key: 'invoice', header: 'Invoice', cell: (inv) => inv.number ?? inv.invoiceId },
                { key: 'owed', header: 'Owed', numeric: true, cell: (inv) => formatMoney(inv.amount.amount, inv.amount.currency) },
                { key: 'due', header: 'Due', cell: (inv) => inv.dueDate },
                { key: 'expected', header: 'Expected', cell: (inv) => inv.expectedDate ?? '—' },
                { key: 'range', header: 'Range', cell: (inv) => (inv.earliest ? `${inv.earliest} – ${inv.latest}` : '—') },
              ]}
            />
          )}
          {data.openInvoices.some((inv) => inv.explanation) && (
            <ul className="explanations" data-testid="prediction-explanations" aria-label="Why each date">
              {data.openInvoices
                .filter((inv) => inv.explanation)
                .map((inv) => (
                  <li key={inv.invoiceId}>
                    <strong>{inv.number ?? inv.invoiceId}</strong>: {inv.explanation}
                  </li>
                ))}
            </ul>
          )}
        </section>
        <DiscountSection data={data} />
        <section aria-labelledby="actions" className="wide">
          <h2 id="actions">Actions</h2>
          {data.actions.length === 0 ? (
            <p className="state empty">No action yet.</p>
          ) : (
            <DataTable
              rows={data.actions}
              rowKey={(action) => action.id}
              columns={[
                { key: 'what', header: 'What', cell: (action) => actionWhat(action) },
                { key: 'status', header: 'Status', cell: (action) => action.status },
                { key: 'why', header: 'Why', cell: (action) => action.why },
                { key: 'calculation', header: 'Calculation', cell: (action) => <Calculation rows={action.calculation} /> },
                { key: 'audit', header: 'Audit trail', cell: (action) => <AuditTrail audit={action.audit} /> },
              ]}
            />
          )}
          <p>
            <Link to={`/actions?status=all&customerId=${data.customerId}`}>All actions for this client</Link>
          </p>
        </section>
      </div>
    </>
  );
}

function DiscountSection({ data }: { data: Detail }) {
  const queryClient = useQueryClient();
  const [currency, setCurrency] = useState(data.openInvoices[0]?.amount.currency ?? data.timeline[0]?.amount.currency ?? 'eur');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const log = useMutation({
    mutationFn: async () => {
      const minor = Math.round(Number(amount) * 10 ** exponent(currency));
      return unwrap(
        await api.POST('/api/dashboard/clients/{id}/discount-requests', {
          params: { path: { id: data.customerId } },
          body: { amount: minor, currency, note: note || undefined },
        }),
      );
    },
    onSuccess: () => {
      setAmount('');
      setNote('');
      void queryClient.invalidateQueries();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    log.mutate();
  };
  return (
    <section aria-labelledby="discounts">
      <h2 id="discounts">Discount requests</h2>
      {data.discountRequests.length === 0 ? (
        <p className="state empty">None logged.</p>
      ) : (
        <ul data-testid="discount-requests">
          {data.discountRequests.map((r) => (
            <li key={r.id}>
              {dateOnly(r.requestedAt)}: {formatMoney(r.amount.amount, r.amount.currency)}
              {r.note ? ` — ${r.note}` : ''} <span className="muted">(by {r.createdBy})</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="filters" aria-label="Log a discount request">
        <label>
          Amount asked for
          <input inputMode="decimal" required pattern="[0-9]+([.][0-9]{1,3})?" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label>
          Currency
          <input required pattern="[A-Za-z]{3}" size={4} value={currency} onChange={(e) => setCurrency(e.target.value.toLowerCase())} />
        </label>
        <label>
          Note
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" disabled={log.isPending}>
          Log discount request
        </button>
      </form>
      {log.isSuccess && <p role="status">Logged; the client was re-assessed.</p>}
      {log.error && (
        <p role="alert" className="error">
          {log.error.message}
        </p>
      )}
    </section>
  );
}
