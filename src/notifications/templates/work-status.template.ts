/** Work paused / resumed. Data: built by `emailOwnerAbout` (src/policies/execution/action-emails.ts) (sample: ../preview/sample-data.ts). */
export const pauseSubject = `payrisk: work for {{clientName}} is paused`;
export const resumeSubject = `payrisk: work for {{clientName}} can resume`;

export const pauseText = `Work for {{clientName}} ({{customerId}}) is paused.
Reason: {{reason}}
Arrears: {{moneyList arrears}}{{#if oldestDaysPastDue}}, the oldest {{oldestDaysPastDue}} days past due{{/if}}.
payrisk will tell you when they have paid and work can resume.
`;

export const resumeText = `Work for {{clientName}} ({{customerId}}) can resume.
Reason: {{reason}}
Arrears now: {{#if arrears.length}}{{moneyList arrears}}{{else}}none{{/if}}.
`;

export const pauseHtml = `<h1 style="font-size:20px;margin:0 0 8px;">Work for {{clientName}} is paused</h1>
<p style="margin:0 0 12px;color:#52525b;">{{customerId}}</p>
<p><strong>Reason:</strong> {{reason}}</p>
<p><strong>Arrears:</strong> {{moneyList arrears}}{{#if oldestDaysPastDue}}, the oldest {{oldestDaysPastDue}} days past due{{/if}}.</p>
<p>payrisk will tell you when they have paid and work can resume.</p>`;

export const resumeHtml = `<h1 style="font-size:20px;margin:0 0 8px;">Work for {{clientName}} can resume</h1>
<p style="margin:0 0 12px;color:#52525b;">{{customerId}}</p>
<p><strong>Reason:</strong> {{reason}}</p>
<p><strong>Arrears now:</strong> {{#if arrears.length}}{{moneyList arrears}}{{else}}none{{/if}}.</p>`;
