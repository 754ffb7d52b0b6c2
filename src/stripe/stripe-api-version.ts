/** The Stripe API version payrisk is written against; webhook endpoints must be created with the same version. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;
