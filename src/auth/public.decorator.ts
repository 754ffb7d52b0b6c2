import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'payrisk:isPublic';

/** Marks a route that needs no bearer token: health, Stripe webhooks, signed approval links. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
