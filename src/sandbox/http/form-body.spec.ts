import { parseForm } from './form-body';

describe('parseForm', () => {
  it('decodes nested objects, indexed and appended arrays', () => {
    const body =
      'customer=cus_1&metadata[order]=A%2B1&items[0][price]=price_1&items[0][quantity]=2&items[1][price]=price_2' +
      '&expand[0]=customer&expand[]=latest_invoice&description=hello+world';
    expect(parseForm(body)).toEqual({
      customer: 'cus_1',
      metadata: { order: 'A+1' },
      items: [{ price: 'price_1', quantity: '2' }, { price: 'price_2' }],
      expand: ['customer', 'latest_invoice'],
      description: 'hello world',
    });
  });

  it('keeps empty values (Stripe uses them to unset) and handles an empty body', () => {
    expect(parseForm('pause_collection=&metadata[a]=')).toEqual({ pause_collection: '', metadata: { a: '' } });
    expect(parseForm('')).toEqual({});
  });

  it('decodes created range filters', () => {
    expect(parseForm('created[gte]=10&created[lt]=20&limit=3')).toEqual({ created: { gte: '10', lt: '20' }, limit: '3' });
  });
});
