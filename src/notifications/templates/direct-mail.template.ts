/**
 * The price-increase notice to a client: the owner's own words, nothing added (no payrisk
 * footer: the client does not know payrisk). The HTML part is the same text, escaped by
 * Handlebars like every other email and page, its line breaks kept.
 */
export const clientNoticeHtml = `<!doctype html><html><body><div style="font-family:system-ui,sans-serif;white-space:pre-wrap;">{{text}}</div></body></html>`;
