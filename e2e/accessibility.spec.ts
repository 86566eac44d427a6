import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../tests/support/app-server';
import { feedControl } from './support/feed-control';
import { item, minutesAgo, symbolFeed, symbolFeedPath } from './support/fixtures-data';
import { activeStreams, addSymbolBox, dashboardPath, expect, filterBox, newsList, startButton, status, stopButton, test } from './support/test';

/** Whether the focused element draws a visible focus indicator. */
const focusVisible = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return false;
    const style = getComputedStyle(el);
    return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
  });

/** Presses Tab until `matches` holds for the focused element; fails after `max` presses. */
async function tabTo(page: Page, describe: string, matches: (el: Element) => boolean, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(`(${matches.toString()})(document.activeElement)`);
    if (found) return;
  }
  throw new Error(`Tab never reached ${describe}`);
}

async function liveWithFreshArticle(page: Page, symbol: string): Promise<void> {
  const first = [item(`${symbol}-1`, `${symbol} beats estimates`, minutesAgo(25)), item(`${symbol}-2`, `${symbol} expands overseas`, minutesAgo(70))];
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, first));
  await page.goto(dashboardPath(symbol, 40_000));
  await startButton(page).click();
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  await feedControl.set(symbolFeedPath(symbol), symbolFeed(symbol, [item(`${symbol}-3`, `${symbol} lands major order`, new Date()), ...first]));
  await expect(newsList(page).locator(`li[data-article-id="${symbol}-3"]`)).toHaveCount(1);
}

test('the main flow works with the keyboard alone, with visible focus', async ({ page }) => {
  await feedControl.set(symbolFeedPath('KEYA'), symbolFeed('KEYA', [item('keya-1', 'KEYA headline', minutesAgo(5))]));
  await page.goto(dashboardPath('KEYA', 30_000));
  await expect(page.getByRole('heading', { name: 'Headlines for KEYA' })).toBeVisible();
  await expect(newsList(page).getByRole('link', { name: /KEYA headline/ })).toBeVisible();

  await tabTo(page, 'the Add symbol box', (el) => el instanceof HTMLInputElement && el.name === 'symbol');
  expect(await focusVisible(page)).toBe(true);
  await tabTo(page, 'the remove button', (el) => el.getAttribute('aria-label') === 'Remove KEYA');
  expect(await focusVisible(page)).toBe(true);
  await tabTo(page, 'the Filter box', (el) => el instanceof HTMLInputElement && el.name === 'q');
  expect(await focusVisible(page)).toBe(true);

  await tabTo(page, 'the start button', (el) => el.textContent === 'Start Live News Stream');
  expect(await focusVisible(page)).toBe(true);
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveAttribute('data-status', 'live');
  // The same control becomes Stop, and keeps the focus.
  await expect(stopButton(page)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(status(page)).toHaveText('Stream stopped');
  await expect(startButton(page)).toBeFocused();
  await expect.poll(() => activeStreams(), { timeout: 3_000 }).toBe(0);

  await tabTo(page, 'the Notify me switch', (el) => el.getAttribute('role') === 'switch');
  expect(await focusVisible(page)).toBe(true);
  await tabTo(page, 'a headline link', (el) => el instanceof HTMLAnchorElement && el.target === '_blank');
  expect(await focusVisible(page)).toBe(true);

  // Shortcuts, from anywhere but a text field: "/" to the Filter box, "a" to Add symbol.
  await page.keyboard.press('/');
  await expect(filterBox(page)).toBeFocused();
  await expect(filterBox(page)).toHaveValue('');
  expect(await focusVisible(page)).toBe(true);
  // Typed into a field, the keys are just text.
  await page.keyboard.type('a/');
  await expect(filterBox(page)).toHaveValue('a/');
  await filterBox(page).fill('');
  await startButton(page).focus();
  await page.keyboard.press('a');
  await expect(addSymbolBox(page)).toBeFocused();
  await expect(addSymbolBox(page)).toHaveValue('');
  // With a modifier it is the browser's shortcut, not the page's.
  await startButton(page).focus();
  await page.keyboard.press('Control+/');
  await expect(startButton(page)).toBeFocused();
});

test('removing a symbol or clearing the filter leaves the keyboard focus in place, not on the page', async ({ page }) => {
  await page.goto('/dashboard?symbols=FOCA,FOCB,FOCC&q=earnings');
  const remove = (symbol: string) => page.getByRole('button', { name: `Remove ${symbol}` });
  await remove('FOCB').focus();
  await page.keyboard.press('Enter');
  await expect(remove('FOCB')).toHaveCount(0);
  // The chip that took its place has the focus; removing the last chip moves it to the one before.
  await expect(remove('FOCC')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(remove('FOCC')).toHaveCount(0);
  await expect(remove('FOCA')).toBeFocused();
  expect(await focusVisible(page)).toBe(true);

  await page.getByRole('button', { name: 'Clear filter' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Clear filter' })).toHaveCount(0);
  await expect(filterBox(page)).toBeFocused();
  await expect(filterBox(page)).toHaveValue('');
});

test('the live dashboard in light and dark, saved as screenshots; new articles announced politely; reduced motion respected', async ({
  page,
}, testInfo) => {
  await liveWithFreshArticle(page, 'SHOTA');
  const announcer = page.getByTestId('announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer).toHaveText('1 new SHOTA article');

  const backgrounds: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    const file = testInfo.outputPath(`dashboard-live-${colorScheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`dashboard-live-${colorScheme}`, { path: file, contentType: 'image/png' });
  }
  expect(backgrounds[0]).not.toBe(backgrounds[1]);

  // The arrival highlight animates only for users who have not asked for reduced motion.
  const fresh = newsList(page).locator('li[data-article-id="SHOTA-3"]');
  const animation = () => fresh.evaluate((el) => getComputedStyle(el).animationName);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await animation()).toBe('arrival');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await animation()).toBe('none');
  await stopButton(page).click();
});

test('fits a phone screen without sideways scrolling', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await liveWithFreshArticle(page, 'PHONA');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(stopButton(page)).toBeInViewport();
  const file = testInfo.outputPath('dashboard-live-phone.png');
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach('dashboard-live-phone', { path: file, contentType: 'image/png' });
  await stopButton(page).click();
});

test('on a phone the Filter box keeps a usable width beside its buttons', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/dashboard?symbol=PHONB&q=earnings');
  await expect(page.getByRole('button', { name: 'Clear filter' })).toBeVisible();
  // Both buttons beside it squeezed it to a word's width; they wrap below it instead.
  expect(await filterBox(page).evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(180);
});

const axePath = path.join(repoRoot, 'node_modules/axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

test('no serious axe violations (WCAG 2.1 AA, contrast included) idle and live, light and dark', async ({ page }) => {
  // axe-core is a devDependency (from the npm registry); a missing copy must fail, not skip.
  const audit = async () => {
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };
  await feedControl.set(symbolFeedPath('AXEA'), symbolFeed('AXEA', [item('axea-1', 'AXEA headline', minutesAgo(5))]));
  await page.goto(dashboardPath('AXEA', 40_000));
  await expect(newsList(page).getByRole('link', { name: /AXEA headline/ })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    expect(await audit(), `idle, ${colorScheme}`).toEqual([]);
  }
  await liveWithFreshArticle(page, 'AXEB');
  for (const colorScheme of ['light', 'dark'] as const) {
    // Reduced motion: the highlight's fade would otherwise be caught mid-way by the contrast check.
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    expect(await audit(), `live, ${colorScheme}`).toEqual([]);
  }
  await stopButton(page).click();
});
