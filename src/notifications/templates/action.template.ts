/**
 * An action proposed (with approve/reject links), applied or failed.
 * Data: built by `emailOwnerAbout` (src/policies/execution/action-emails.ts; sample: ../preview/sample-data.ts), plus
 * `describe`, `proposed`, `failed` added by the renderer;
 * proposals add `reason`, `approveUrl`, `rejectUrl`, `expiresAt`; price increases add `notice`, and
 * `noticeNotSent` (why the notice did not go to the client) when it could not be sent.
 */
export const actionSubject = `payrisk: {{describe}} for {{clientName}} {{#if proposed}}needs your approval{{else if failed}}FAILED{{else}}applied{{/if}}`;

export const actionText = `{{#if proposed}}payrisk proposes: {{describe}} for {{clientName}} ({{customerId}}).
Why: {{reason}}

Approve: {{approveUrl}}
Reject: {{rejectUrl}}
The links work once and expire {{datetime expiresAt}}; after that use "payrisk actions approve {{actionId}}".
{{else if failed}}payrisk could not apply: {{describe}} for {{clientName}} ({{customerId}}).
Error: {{error}}
Nothing else was changed; payrisk will not retry this action on its own.{{else}}Done: {{describe}} for {{clientName}} ({{customerId}}).{{/if}}
{{#if amount}}
Amount: {{money amount}}
{{/if}}
{{#if stripeIdList.length}}

In Stripe:
{{#each stripeIdList}}
- {{name}}: {{id}}
{{/each}}
{{/if}}
{{#if noticeNotSent}}

The notice was not sent: {{noticeNotSent}}. Send it to the client yourself, or correct their email in Stripe.
{{/if}}
{{#if notice}}

Notice for the client:
{{notice}}
{{/if}}
{{#if undoUrl}}

Undo: {{undoUrl}}
{{/if}}

Action id: {{actionId}}
`;

const button = 'display:inline-block;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600;margin-right:8px;';

export const actionHtml =
  `<h1 style="font-size:20px;margin:0 0 8px;">{{#if proposed}}Approve? {{else if failed}}Failed: {{else}}Done: {{/if}}{{describe}}</h1>
<p style="margin:0 0 12px;color:#52525b;">{{clientName}} · {{customerId}}</p>
{{#if proposed}}<p><strong>Why:</strong> {{reason}}</p>
<p><a href="{{approveUrl}}" style="${button}background:#16a34a;color:#ffffff;">Approve</a>` +
  `<a href="{{rejectUrl}}" style="${button}background:#e4e4e7;color:#18181b;">Reject</a></p>
<p style="font-size:13px;color:#71717a;">The links work once and expire {{datetime expiresAt}}.</p>{{/if}}
{{#if failed}}<p style="color:#b91c1c;"><strong>Error:</strong> {{error}}</p>
<p>Nothing else was changed; payrisk will not retry this action on its own.</p>{{/if}}
{{#if amount}}<p><strong>Amount:</strong> {{money amount}}</p>{{/if}}
{{#if stripeIdList.length}}<h2 style="font-size:16px;margin:16px 0 4px;">In Stripe</h2>
<ul style="padding-left:20px;margin:0;">{{#each stripeIdList}}<li>{{name}}: <code>{{id}}</code></li>{{/each}}</ul>{{/if}}
{{#if noticeNotSent}}<p style="color:#b91c1c;"><strong>The notice was not sent:</strong> {{noticeNotSent}}.` +
  ` Send it to the client yourself, or correct their email in Stripe.</p>{{/if}}
{{#if notice}}<h2 style="font-size:16px;margin:16px 0 4px;">Notice for the client</h2>` +
  `<pre style="white-space:pre-wrap;font-family:inherit;">{{notice}}</pre>{{/if}}
{{#if undoUrl}}<p><a href="{{undoUrl}}" style="color:#2563eb;">Undo this action</a></p>{{/if}}
<p style="font-size:13px;color:#71717a;">Action id: {{actionId}}</p>`;
