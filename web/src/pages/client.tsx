import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { actionWhat, AuditTrail, Calculation } from '../components/actions-table';
import { Chart } from '../components/chart';
import { DataState, LevelBadge } from '../components/data-state';
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
                <div className="scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
                  <table data-testid={`evidence-${flag.flag}`}>
                    <caption className="muted">Evidence</caption>
                    <thead>
                      <tr>
                        <th scope="col">Kind</th>
                        <th scope="col">What</th>
                        <th scope="col">Amount</th>
                        <th scope="col">{flag.evidence.some((e) => e.kind === 'invoice') ? 'Due date' : 'Date'}</th>
                        <th scope="col">Paid</th>
                        <th scope="col">Days late</th>
                      </tr>
                    </thead>
                    <tbody>
                      {flag.evidence.map((e) => (
                        <tr key={`${e.kind}:${e.id}`} data-evidence={e.id}>
                          <td>{e.kind.replace('_', ' ')}</td>
                          <td>{e.detail ?? e.id}</td>
                          <td className="num">{formatMoney(e.amount.amount, e.amount.currency)}</td>
                          <td>{e.date.slice(0, 10)}</td>
                          <td>{e.paidAt ? dateOnly(e.paidAt) : e.kind === 'invoice' ? 'unpaid' : '—'}</td>
                          <td className="num">{e.daysLate ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
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
            <div className="scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
              <table data-testid="open-invoices">
                <thead>
                  <tr>
                    <th scope="col">Invoice</th>
                    <th scope="col">Owed</th>
                    <th scope="col">Due</th>
                    <th scope="col">Expected</th>
                    <th scope="col">Range</th>
                  </tr>
                </thead>
                <tbody>
                  {data.openInvoices.map((inv) => (
                    <tr key={inv.invoiceId}>
                      <td>{inv.number ?? inv.invoiceId}</td>
                      <td className="num">{formatMoney(inv.amount.amount, inv.amount.currency)}</td>
                      <td>{inv.dueDate}</td>
                      <td>{inv.expectedDate ?? '—'}</td>
                      <td>{inv.earliest ? `${inv.earliest} – ${inv.latest}` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <DiscountSection data={data} />
        <section aria-labelledby="actions" className="wide">
          <h2 id="actions">Actions</h2>
          {data.actions.length === 0 ? (
            <p className="state empty">No action yet.</p>
          ) : (
            <div className="scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
              <table>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Status</th>
                    <th scope="col">Why</th>
                    <th scope="col">Calculation</th>
                    <th scope="col">Audit trail</th>
                  </tr>
                </thead>
                <tbody>
                  {data.actions.map((action) => (
                    <tr key={action.id}>
                      <td>{actionWhat(action)}</td>
                      <td>{action.status}</td>
                      <td>{action.why}</td>
                      <td>
                        <Calculation rows={action.calculation} />
                      </td>
                      <td>
                        <AuditTrail audit={action.audit} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
