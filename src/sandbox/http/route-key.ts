/** `POST /v1/invoices/${encodeURIComponent(id)}/pay` or `POST /v1/invoices/:id/pay` → `POST /v1/invoices/*\/pay`. */
export const routeKey = (method: string, path: string): string => `${method} ${path.replace(/\$\{[^}]+\}|:[A-Za-z]+/g, '*')}`;
