import { barSegments } from './report-views.js';

describe('report bar', () => {
  it('stacks the standings left to right in proportion, leaving out empty ones', () => {
    expect(barSegments({ met: 1, on_track: 0, behind: 2, at_risk: 1, not_applicable: 0, total: 4 })).toEqual([
      { x: '0.00', width: '25.00', colour: '#198754', standing: 'met', count: 1 },
      { x: '25.00', width: '50.00', colour: '#ffc107', standing: 'behind', count: 2 },
      { x: '75.00', width: '25.00', colour: '#dc3545', standing: 'at_risk', count: 1 },
    ]);
    expect(barSegments({ met: 0, on_track: 0, behind: 0, at_risk: 0, not_applicable: 0, total: 0 })).toEqual([]);
  });
});
