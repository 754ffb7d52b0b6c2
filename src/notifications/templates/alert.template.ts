import { buttonStyle } from './layout.template';

/**
 * Risk alert: a client newly flagged or whose level rose. Data: built by RiskAlertProducer
 * (../alerts/risk-alert.producer.ts; sample: ../preview/sample-data.ts).
 */
export const alertSubject = `payrisk: {{clientName}} is now {{toLevel}}{{#if newFlags.length}} ({{join newFlags ", "}}){{/if}}`;

export const alertText = `{{clientName}} {{#if fromLevel}}went from {{fromLevel}} to {{toLevel}}{{else}}is now {{toLevel}}{{/if}}, score {{score}}/100.
{{#if newFlags.length}}
Newly flagged: {{join newFlags ", "}}
{{/if}}
{{#if changes.length}}
What changed:
{{#each changes}}
- {{this}}
{{/each}}
{{/if}}

Why:
{{#each reasons}}
- {{this}}
{{else}}
- (no reasons recorded)
{{/each}}
{{#if evidence.length}}

Evidence:
{{#each evidence}}
{{flag}}:
{{#each lines}}
  - {{this}}
{{/each}}
{{/each}}
{{/if}}

What payrisk proposes:
{{#each proposals}}
- {{describe}}{{#if why}} ({{why}}){{/if}}
  Approve: {{approveUrl}}
  Reject:  {{rejectUrl}}
  (links valid until {{datetime expiresAt}})
{{else}}
- Nothing to approve right now; payrisk keeps watching.
{{/each}}
{{#if clientUrl}}

All about {{clientName}}: {{clientUrl}}
{{/if}}
`;

export const alertHtml =
  `<h1 style="font-size:20px;margin:0 0 8px;">{{clientName}} is now {{toLevel}}</h1>
<p style="margin:0 0 12px;color:#52525b;">Score {{score}}/100{{#if fromLevel}} · was {{fromLevel}}{{/if}}` +
  `{{#if clientUrl}} · <a href="{{clientUrl}}">open {{clientName}} in payrisk</a>{{/if}}</p>
{{#if newFlags.length}}<p><strong>Newly flagged:</strong> {{join newFlags ", "}}</p>{{/if}}
{{#if changes.length}}<h2 style="font-size:16px;margin:16px 0 4px;">What changed</h2>
<ul style="padding-left:20px;margin:0;">{{#each changes}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
<h2 style="font-size:16px;margin:16px 0 4px;">Why</h2>
<ul style="padding-left:20px;margin:0;">{{#each reasons}}<li>{{this}}</li>{{else}}<li>(no reasons recorded)</li>{{/each}}</ul>
{{#if evidence.length}}<h2 style="font-size:16px;margin:16px 0 4px;">Evidence</h2>
{{#each evidence}}<p style="margin:8px 0 0;"><strong>{{flag}}</strong></p>
<ul style="padding-left:20px;margin:0;">{{#each lines}}<li>{{this}}</li>{{/each}}</ul>{{/each}}{{/if}}
<h2 style="font-size:16px;margin:16px 0 4px;">What payrisk proposes</h2>
{{#each proposals}}<div style="margin:8px 0 12px;">
<p style="margin:0 0 4px;">{{describe}}{{#if why}} <span style="color:#52525b;">({{why}})</span>{{/if}}</p>
<a href="{{approveUrl}}" style="${buttonStyle}background:#16a34a;color:#ffffff;">Approve</a>
<a href="{{rejectUrl}}" style="${buttonStyle}background:#e4e4e7;color:#18181b;">Reject</a>
<p style="margin:4px 0 0;font-size:13px;color:#71717a;">Links valid until {{datetime expiresAt}}.</p></div>
{{else}}<p>Nothing to approve right now; payrisk keeps watching.</p>{{/each}}`;
