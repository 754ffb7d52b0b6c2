import { DomainError, notFound } from './domain-error';
import { httpStatusFor } from './http-status-for';

describe('httpStatusFor', () => {
  it('maps each domain code to its HTTP status', () => {
    expect(httpStatusFor('not_found')).toBe(404);
    expect(httpStatusFor('invalid_input')).toBe(400);
    expect(httpStatusFor('conflict')).toBe(409);
    expect(httpStatusFor('unauthorized')).toBe(401);
    expect(httpStatusFor('upstream_unavailable')).toBe(503);
  });

  it('builds not-found errors that name the id', () => {
    const error = notFound('Client', 'cus_123');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toBe('Client cus_123 not found');
    expect(error.details).toEqual({ id: 'cus_123' });
  });
});
