import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { Calculation, KIND_WORDS } from '../components/actions-table';
import { DataState } from '../components/data-state';
import { DataTable } from '../components/data-table';
import { formatMoney } from '../format';

export function PoliciesPage() {
  const policies = useQuery({ queryKey: ['policies'], queryFn: async () => unwrap(await api.GET('/api/dashboard/policies')) });
  const dryRun = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/dashboard/policies/dry-run')) });
  return (
    <>
      <h1>Policies</h1>
      <DataState query={policies}>
        {(data) => (
          <>
            <p className="muted">
              From <code>{data.file}</code>
            </p>
            <div className="grid">
              {data.sections.map((section) => (
                <section key={section.policy} aria-label={section.policy} data-policy={section.policy}>
                  <h2>
                    {section.policy} {section.enabled ? '' : '(off)'}
                  </h2>
                  {section.words.map((line) => (
                    <p key={line}>{line}</p>
                  ))}
                </section>
              ))}
            </div>
          </>
        )}
      </DataState>
      <h2>What would happen if the policies ran now</h2>
      <p>A dry run: it plans, and writes nothing anywhere (no action, no email, nothing in Stripe).</p>
      <button type="button" onClick={() => dryRun.mutate()} disabled={dryRun.isPending}>
        Show what would happen
      </button>
      {dryRun.isPending && <p role="status">Planning…</p>}
      {dryRun.error && (
        <p role="alert" className="error">
          {dryRun.error.message}
        </p>
      )}
      {dryRun.data &&
        (dryRun.data.planned.length === 0 ? (
          <p className="state empty" role="status" data-testid="dry-run">
            Nothing new: every decision the policies call for is already recorded (see <Link to="/actions">Actions</Link>).
          </p>
        ) : (
          <DataTable
            testId="dry-run"
            label="Dry run (scrolls sideways)"
            rows={dryRun.data.planned}
            rowKey={(_, index) => index}
            columns={[
              { key: 'what', header: 'What', cell: (p) => `${KIND_WORDS[p.kind]}${p.amount ? ` of ${formatMoney(p.amount.amount, p.amount.currency)}` : ''}` },
              { key: 'client', header: 'Client', cell: (p) => <Link to={`/clients/${p.customerId}`}>{p.clientName ?? p.customerId}</Link> },
              { key: 'how', header: 'How', cell: (p) => (p.mode === 'auto' ? 'at once' : 'proposed to you') },
              { key: 'why', header: 'Why', cell: (p) => p.why },
              { key: 'calculation', header: 'Calculation', cell: (p) => <Calculation rows={p.calculation} /> },
            ]}
          />
        ))}
    </>
  );
}
