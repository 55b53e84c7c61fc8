import { test, expect } from '@playwright/test';
import { sizes, BUDGET_BROTLI } from '../../scripts/sizes.mjs';

test('everything a host page downloads fits the brotli budget', () => {
  const { total } = sizes();
  expect(total.brotli).toBeLessThanOrEqual(BUDGET_BROTLI);
});
