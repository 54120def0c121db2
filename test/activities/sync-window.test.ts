import { describe, expect, test } from 'vitest';
import { gaps, mergeRanges, planFetch, watermark, withoutRange } from '../../activities/sync-window.js';

describe('coverage ranges', () => {
  test('merge overlapping and adjacent ranges', () => {
    expect(mergeRanges([{ from: '2026-03-10', to: '2026-03-20' }, { from: '2026-03-01', to: '2026-03-09' }, { from: '2026-03-15', to: '2026-03-25' }, { from: '2026-04-01', to: '2026-04-02' }]))
      .toEqual([{ from: '2026-03-01', to: '2026-03-25' }, { from: '2026-04-01', to: '2026-04-02' }]);
  });

  test('gaps are the uncovered days', () => {
    const covered = [{ from: '2026-03-05', to: '2026-03-10' }, { from: '2026-03-15', to: '2026-03-20' }];
    expect(gaps(covered, '2026-03-01', '2026-03-25')).toEqual([
      { from: '2026-03-01', to: '2026-03-04' }, { from: '2026-03-11', to: '2026-03-14' }, { from: '2026-03-21', to: '2026-03-25' },
    ]);
    expect(gaps(covered, '2026-03-06', '2026-03-09')).toEqual([]);
    expect(gaps([], '2026-03-06', '2026-03-06')).toEqual([{ from: '2026-03-06', to: '2026-03-06' }]);
  });

  test('a range taken out leaves the days around it', () => {
    const covered = [{ from: '2026-03-01', to: '2026-03-31' }];
    expect(withoutRange(covered, { from: '2026-03-10', to: '2026-03-12' })).toEqual([{ from: '2026-03-01', to: '2026-03-09' }, { from: '2026-03-13', to: '2026-03-31' }]);
    expect(withoutRange(covered, { from: '2026-02-01', to: '2026-03-05' })).toEqual([{ from: '2026-03-06', to: '2026-03-31' }]);
    expect(withoutRange(covered, { from: '2026-04-01', to: '2026-04-05' })).toEqual(covered);
  });

  test('the watermark is the end of the unbroken coverage from the import start', () => {
    const covered = [{ from: '2026-03-01', to: '2026-03-10' }, { from: '2026-03-12', to: '2026-03-20' }];
    expect(watermark(covered, '2026-03-01')).toBe('2026-03-10');
    expect(watermark(covered, '2026-02-01')).toBeUndefined();
  });
});

describe('planFetch', () => {
  const base = { importStart: '2026-01-01', earliestAvailable: '2025-01-01', overlapDays: 7 };

  test('first import: from the import start to the last day', () => {
    expect(planFetch({ ...base, covered: [], lastDay: '2026-03-31' })).toEqual({ dateFrom: '2026-01-01', dateTo: '2026-03-31' });
  });

  test('a later sync re-reads the overlap before the last day', () => {
    const covered = [{ from: '2026-01-01', to: '2026-03-31' }];
    expect(planFetch({ ...base, covered, lastDay: '2026-04-01' })).toEqual({ dateFrom: '2026-03-26', dateTo: '2026-04-01' });
  });

  test('a gap (a failed day, an expired consent) is fetched again until covered', () => {
    const covered = [{ from: '2026-01-01', to: '2026-02-10' }, { from: '2026-03-20', to: '2026-03-31' }];
    expect(planFetch({ ...base, covered, lastDay: '2026-04-01' })).toEqual({ dateFrom: '2026-02-11', dateTo: '2026-04-01' });
  });

  test('an import start moved earlier is backfilled', () => {
    const covered = [{ from: '2026-01-01', to: '2026-03-31' }];
    expect(planFetch({ ...base, importStart: '2025-12-01', covered, lastDay: '2026-03-31' })?.dateFrom).toBe('2025-12-01');
  });

  test('days the bank no longer serves are clamped and reported, not retried in a loop', () => {
    const plan = planFetch({ ...base, covered: [], lastDay: '2026-03-31', earliestAvailable: '2026-02-01' });
    expect(plan).toEqual({ dateFrom: '2026-02-01', dateTo: '2026-03-31', unavailable: { from: '2026-01-01', to: '2026-01-31' } });
  });

  test('nothing to fetch before the import start', () => {
    expect(planFetch({ ...base, covered: [], lastDay: '2025-12-31' })).toBeUndefined();
  });
});
