import { QueryFailedError } from 'typeorm';
import { isConnectionLoss } from './exception.filter.js';

const failed = (driverError: object) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), driverError));

describe('isConnectionLoss', () => {
  it('knows the database out of reach: FATAL from the server, class 08, shutdown codes, socket errors, the driver lost mid-query', () => {
    expect(isConnectionLoss(failed({ code: '57P01', severity: 'FATAL' }))).toBe(true);
    expect(isConnectionLoss(failed({ code: '55000', severity: 'FATAL' }))).toBe(true); // refused at connect
    expect(isConnectionLoss(failed({ code: '08006' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it("leaves a query's own errors alone", () => {
    expect(isConnectionLoss(failed({ code: '23505', severity: 'ERROR' }))).toBe(false);
    expect(isConnectionLoss(failed({ code: 'P0001', severity: 'ERROR' }))).toBe(false);
    expect(isConnectionLoss(new Error('something else'))).toBe(false);
    expect(isConnectionLoss(null)).toBe(false);
  });
});
