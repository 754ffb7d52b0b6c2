/** Action applied / failed. Data: contract D `action` shape (+ `describe`, added by the renderer). */
export const actionSubject = `payrisk: {{describe}} for {{clientName}} {{#if failed}}FAILED{{else}}applied{{/if}}`;

export const actionText = `{{#if failed}}payrisk could not apply: {{describe}} for {{clientName}} ({{customerId}}).
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
{{#if undoUrl}}

Undo: {{undoUrl}}
{{/if}}

Action id: {{actionId}}
`;

export const actionHtml = `<h1 style="font-size:20px;margin:0 0 8px;">{{#if failed}}Failed: {{else}}Done: {{/if}}{{describe}}</h1>
<p style="margin:0 0 12px;color:#52525b;">{{clientName}} · {{customerId}}</p>
{{#if failed}}<p style="color:#b91c1c;"><strong>Error:</strong> {{error}}</p>
<p>Nothing else was changed; payrisk will not retry this action on its own.</p>{{/if}}
{{#if amount}}<p><strong>Amount:</strong> {{money amount}}</p>{{/if}}
{{#if stripeIdList.length}}<h2 style="font-size:16px;margin:16px 0 4px;">In Stripe</h2>
<ul style="padding-left:20px;margin:0;">{{#each stripeIdList}}<li>{{name}}: <code>{{id}}</code></li>{{/each}}</ul>{{/if}}
{{#if undoUrl}}<p><a href="{{undoUrl}}" style="color:#2563eb;">Undo this action</a></p>{{/if}}
<p style="font-size:13px;color:#71717a;">Action id: {{actionId}}</p>`;
