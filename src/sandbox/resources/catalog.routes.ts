import type Stripe from 'stripe';
import { listResponse } from '../http/list-params';
import type { Params } from '../http/params';
import { invalid, missing, noSuch } from '../http/stripe-error';
import { shape } from '../shapes/shape';
import type { BillingContext } from '../billing/billing-context';
import type { RegisterRoutes } from './route-deps';

function createPrice(ctx: BillingContext, params: Params, product: string): Stripe.Price {
  const at = ctx.clock.now();
  const currency = params.reqStr('currency');
  const unitAmount = params.int('unit_amount');
  if (unitAmount === undefined) throw missing('unit_amount');
  const recurring = params.obj('recurring');
  const price = shape<Stripe.Price>('price', {
    id: ctx.ids.next('price'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: at,
    currency,
    livemode: false,
    lookup_key: params.str('lookup_key') ?? null,
    metadata: params.metadata(),
    nickname: params.str('nickname') ?? null,
    product,
    recurring: recurring
      ? {
          interval: recurring.reqStr('interval'),
          interval_count: recurring.int('interval_count') ?? 1,
          meter: null,
          usage_type: 'licensed',
          trial_period_days: null,
        }
      : null,
    tax_behavior: 'unspecified',
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  });
  ctx.store.prices.insert(price);
  ctx.events.emit('price.created', price, at);
  return price;
}

function createProduct(ctx: BillingContext, name: string, params: Params): Stripe.Product {
  const at = ctx.clock.now();
  const product = shape<Stripe.Product>('product', {
    id: params.str('id') ?? ctx.ids.next('prod'),
    object: 'product',
    active: true,
    created: at,
    default_price: null,
    description: params.str('description') ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: params.metadata(),
    name,
    package_dimensions: null,
    shippable: null,
    type: 'service',
    updated: at,
  });
  ctx.store.products.insert(product);
  ctx.events.emit('product.created', product, at);
  return product;
}

export const catalogRoutes: RegisterRoutes = (router, { ctx }) => {
  const { store } = ctx;
  router.on('POST', '/v1/products', ({ params }) => {
    const product = createProduct(ctx, params.reqStr('name'), params);
    const priceData = params.obj('default_price_data');
    if (priceData) product.default_price = createPrice(ctx, priceData, product.id).id;
    return product;
  });
  router.on('GET', '/v1/products', ({ params }) => listResponse(store.products, params, '/v1/products'));
  router.on(
    'GET',
    '/v1/products/:id',
    ({ pathParams }) =>
      store.products.get(pathParams.id) ??
      (() => {
        throw noSuch('product', pathParams.id);
      })(),
  );
  router.on('POST', '/v1/products/:id', ({ pathParams, params }) => {
    const product = store.products.get(pathParams.id);
    if (!product) throw noSuch('product', pathParams.id);
    const name = params.str('name');
    if (name) product.name = name;
    const defaultPrice = params.str('default_price');
    if (defaultPrice !== undefined) {
      if (defaultPrice && !store.prices.get(defaultPrice)) throw noSuch('price', defaultPrice, 'default_price');
      product.default_price = defaultPrice || null;
    }
    product.metadata = params.metadata(product.metadata);
    product.updated = ctx.clock.now();
    ctx.events.emit('product.updated', product, product.updated);
    return product;
  });

  router.on('POST', '/v1/prices', ({ params }) => {
    let productId = params.str('product');
    const productData = params.obj('product_data');
    if (!productId && productData) productId = createProduct(ctx, productData.reqStr('name'), productData).id;
    if (!productId) throw missing('product');
    if (!store.products.get(productId)) throw noSuch('product', productId, 'product');
    return createPrice(ctx, params, productId);
  });
  router.on('GET', '/v1/prices', ({ params }) => {
    const product = params.str('product');
    const type = params.str('type');
    return listResponse(store.prices, params, '/v1/prices', {
      index: product ? { field: 'product', value: product } : undefined,
      filter: type ? (p) => p.type === type : undefined,
    });
  });
  router.on(
    'GET',
    '/v1/prices/:id',
    ({ pathParams }) =>
      store.prices.get(pathParams.id) ??
      (() => {
        throw noSuch('price', pathParams.id);
      })(),
  );

  router.on('POST', '/v1/coupons', ({ params }) => {
    const percentOff = params.num('percent_off');
    const amountOff = params.int('amount_off');
    if (percentOff === undefined && amountOff === undefined) throw missing('percent_off');
    if (percentOff !== undefined && (percentOff <= 0 || percentOff > 100))
      throw invalid('percent_off', 'percent_off must be between 0 and 100.', 'parameter_invalid_decimal');
    if (amountOff !== undefined && !params.str('currency')) throw missing('currency');
    const id = params.str('id') ?? ctx.ids.next('co').slice(3, 11).toUpperCase();
    if (store.coupons.get(id)) throw invalid('id', `Coupon already exists.`, 'resource_already_exists');
    const at = ctx.clock.now();
    const coupon = shape<Stripe.Coupon>('coupon', {
      id,
      object: 'coupon',
      amount_off: amountOff ?? null,
      created: at,
      currency: params.str('currency') ?? null,
      duration: params.str('duration') ?? 'once',
      duration_in_months: params.int('duration_in_months') ?? null,
      livemode: false,
      max_redemptions: params.int('max_redemptions') ?? null,
      metadata: params.metadata(),
      name: params.str('name') ?? null,
      percent_off: percentOff ?? null,
      redeem_by: params.int('redeem_by') ?? null,
      times_redeemed: 0,
      valid: true,
    });
    store.coupons.insert(coupon);
    ctx.events.emit('coupon.created', coupon, at);
    return coupon;
  });
  router.on('GET', '/v1/coupons', ({ params }) => listResponse(store.coupons, params, '/v1/coupons'));
  router.on(
    'GET',
    '/v1/coupons/:id',
    ({ pathParams }) =>
      store.coupons.get(pathParams.id) ??
      (() => {
        throw noSuch('coupon', pathParams.id);
      })(),
  );
};
