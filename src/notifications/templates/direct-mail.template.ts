/* Emails that are not the owner's payrisk emails (no layout, no footer): to a client, and the sign-in link. */

/**
 * The price-increase notice to a client: the owner's own words, nothing added (no payrisk
 * footer: the client does not know payrisk). The HTML part is the same text, escaped by
 * Handlebars like every other email and page, its line breaks kept.
 */
export const clientNoticeHtml = `<!doctype html><html><body><div style="font-family:system-ui,sans-serif;white-space:pre-wrap;">{{text}}</div></body></html>`;

/** The dashboard sign-in email (`POST /api/session/email-link`): the one-time link, escaped like every value. */
export const signInHtml =
  `<p><a href="{{url}}">Sign in to payrisk</a></p>` + `<p>The link works once, for {{minutes}} minutes. If you did not ask for it, ignore this email.</p>`;
