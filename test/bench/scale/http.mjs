// One HTTP scenario driven by autocannon from this process, with every response's time kept for exact percentiles
// (autocannon itself reports p97.5, not p95).
import autocannon from 'autocannon';
import { summary } from './floors.mjs';

/**
 * opts: url, connections, duration or amount, headers; `each(i)` answers { path?, headers? } for the i-th request
 * (another person, another token).
 */
export function drive({ url, connections, duration, amount, method = 'GET', body, headers = {}, each }) {
  const times = [];
  let next = 0;
  const instance = autocannon({
    url, connections, method, body, headers, ...(amount ? { amount } : { duration }),
    ...(each ? { requests: [{ setupRequest: (request) => {
      const change = each(next++);
      return { ...request, ...(change.path ? { path: change.path } : {}), headers: { ...request.headers, ...change.headers } };
    } }] } : {}),
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  return new Promise((resolve, reject) => {
    instance.on('done', (result) => {
      const figures = summary(times, result.duration);
      resolve({ ...figures, non2xx: result.non2xx, errors: result.errors + result.timeouts });
    });
    instance.on('error', reject);
  });
}
