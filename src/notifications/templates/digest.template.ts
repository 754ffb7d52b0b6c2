/** Weekly digest: arrears by age, clients by level and movers, fees, approvals waiting, payments expected (`buildDigestData`). */
export const digestSubject = `payrisk weekly: {{weekOf}}`;

export const digestText = `Your payrisk week, {{weekOf}}

Arrears by age:
{{#each arrears}}
- {{label}}: {{#if totals.length}}{{moneyList totals}} ({{count}} invoices){{else}}nothing{{/if}}
{{/each}}

Clients by level:
{{#each levels}}
- {{level}}: {{count}}
{{/each}}
{{#if movers.length}}
Movers this week:
{{#each movers}}
- {{clientName}}: {{from}} → {{to}}
{{/each}}
{{/if}}

Fees:
- assessed: {{#if fees.assessed.length}}{{moneyList fees.assessed}}{{else}}none{{/if}}
- collected: {{#if fees.collected.length}}{{moneyList fees.collected}}{{else}}none{{/if}}
- waived: {{#if fees.waived.length}}{{moneyList fees.waived}}{{else}}none{{/if}}

Waiting for your approval:
{{#each pendingApprovals}}
- {{describe}} for {{clientName}} (proposed {{date proposedAt}})
{{else}}
- nothing
{{/each}}

Expected payments next week:
{{#each expectedPayments}}
- {{clientName}}: {{money amount}} expected {{expectedAt}}{{#if earliest}} ({{earliest}} to {{latest}}){{/if}}, due {{date dueAt}} ({{invoiceId}})
{{else}}
- none due
{{/each}}
`;

const h2 = 'style="font-size:16px;margin:16px 0 4px;"';
const ul = 'style="padding-left:20px;margin:0;"';

export const digestHtml =
  `<h1 style="font-size:20px;margin:0 0 8px;">Your payrisk week</h1>
<p style="margin:0 0 12px;color:#52525b;">{{weekOf}}</p>
<h2 ${h2}>Arrears by age</h2>
<ul ${ul}>{{#each arrears}}<li>{{label}}: {{#if totals.length}}{{moneyList totals}} ({{count}} invoices){{else}}nothing{{/if}}</li>{{/each}}</ul>
<h2 ${h2}>Clients by level</h2>
<ul ${ul}>{{#each levels}}<li>{{level}}: {{count}}</li>{{/each}}</ul>
{{#if movers.length}}<p style="margin:8px 0 0;"><strong>Movers this week</strong></p>` +
  `<ul ${ul}>{{#each movers}}<li>{{clientName}}: {{from}} → {{to}}</li>{{/each}}</ul>{{/if}}
<h2 ${h2}>Fees</h2>
<ul ${ul}><li>assessed: {{#if fees.assessed.length}}{{moneyList fees.assessed}}{{else}}none{{/if}}</li>
<li>collected: {{#if fees.collected.length}}{{moneyList fees.collected}}{{else}}none{{/if}}</li>
<li>waived: {{#if fees.waived.length}}{{moneyList fees.waived}}{{else}}none{{/if}}</li></ul>
<h2 ${h2}>Waiting for your approval</h2>
<ul ${ul}>{{#each pendingApprovals}}<li>{{describe}} for {{clientName}} (proposed {{date proposedAt}})</li>{{else}}<li>nothing</li>{{/each}}</ul>
<h2 ${h2}>Expected payments next week</h2>
<ul ${ul}>{{#each expectedPayments}}<li>{{clientName}}: {{money amount}} expected {{expectedAt}}{{#if earliest}} ({{earliest}} to {{latest}}){{/if}}` +
  `, due {{date dueAt}} ({{invoiceId}})</li>{{else}}<li>none due</li>{{/each}}</ul>`;
