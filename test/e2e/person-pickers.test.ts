/**
 * Issue 13 in Chromium: person pickers that scale, and one name for an unnamed person. Against `facenet serve`
 * on the real EngineApi over a real SQLite library of 123 synthetic people (3 named, 120 unnamed): "Move to…"
 * and "Merge into…" show cover faces and face counts, a screenful at a time, filter as the user types ("#12"
 * finds Unnamed #12), and make a new person from typed text with Enter; History and the person view call an
 * unnamed person "Unnamed #<id>". Screenshots in test-results/pickers/. Skips without Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'pickers');
const UNNAMED = 120;

describe.skipIf(!hasChromium())('person pickers and the one name of an unnamed person (Chromium)', () => {
  const tmp = tempDir('facenet-pickers-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let alice: number;
  let unnamed: number[];
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Alice Martin', faces: 6 },
        { name: 'Bob Alder', faces: 4 },
        { name: 'Zoë Adams', faces: 3 },
        ...Array.from({ length: UNNAMED }, (_, i) => ({ name: null, faces: 2 + (i % 3) })),
      ],
      // Stored as the user's work: 123 people are more than the synthetic centres keep apart when re-grouped.
      grouping: 'confirmed',
    });
    engine = library.api;
    [alice] = library.personIds as [number];
    unnamed = library.personIds.slice(3);
    app = await openApp(engine, { width: 1100, height: 800 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/people`);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  const options = () => page.getByRole('listbox', { name: 'People' }).getByRole('option');
  const historyLabels = async (): Promise<string[]> => {
    await page.goto(`${server.origin}/#/undo`);
    const history = page.getByRole('region', { name: 'History' });
    // The view shows "Loading…" until the engine answers: read the entries once the first one is there.
    await history.locator('li span').first().waitFor();
    return history.locator('li span').allTextContents();
  };

  it('"Move to…" lists people with cover faces and counts, named first, a screenful at a time', async () => {
    await page.goto(`${server.origin}/#/person/${alice}`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('m'); // M puts the focus on "Move to…"; Enter opens it
    await page.keyboard.press('Enter');
    const input = page.getByRole('combobox');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => options().count()).toBe(1 + 50); // "New person" + a screenful
    const names = await options().locator('.picker-name').allTextContents();
    expect(names.slice(0, 3)).toEqual(['New person', 'Bob Alder', 'Zoë Adams']); // Alice herself is left out
    expect(names[3]).toMatch(/^Unnamed #\d+$/);
    await expect(page.locator('.picker-note').textContent()).resolves.toBe(
      `50 of ${UNNAMED + 2} shown: type to narrow`,
    );
    // Every listed person shows their cover face, loaded.
    const covers = options().locator('img.picker-cover');
    await expect.poll(() => covers.count()).toBe(50);
    await expect
      .poll(() => covers.first().evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await options().nth(1).textContent()).toMatch(/Bob Alder4 faces/);
    // Arrow keys move the highlight, which nothing picks until Enter.
    await expect(options().nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => options().nth(2).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => options().nth(1).getAttribute('aria-selected')).toBe('true');
    await shot('01-move-to-open');
  });

  it('"#<id>" finds that unnamed person; Enter moves the face there; History says "Unnamed #<id>"', async () => {
    const target = unnamed[7]!;
    await page.getByRole('combobox').fill(`#${target}`);
    await expect.poll(() => options().nth(1).locator('.picker-name').textContent()).toBe(`Unnamed #${target}`);
    await expect(options().nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await shot('02-type-ahead-number');
    await page.keyboard.press('Enter');
    // In the Person view a pick is a choice: the confirm bar says it, and Enter there does it.
    await expect
      .poll(() => page.getByTestId('confirm-bar').textContent())
      .toMatch(new RegExp(`^Move 1 face to Unnamed #${target}\\?`));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('person-count').textContent(), { timeout: 30_000 }).toMatch(/^5 faces/);
    await expect.poll(() => page.getByTestId('undo-toast').textContent()).toContain(`Unnamed #${target}`);
    expect((await historyLabels())[0]).toBe(`Moved 1 face to Unnamed #${target}`);
    await shot('03-history-unnamed');
  });

  it('typed text that matches nobody is a new person with that name, by keyboard alone', async () => {
    await page.goto(`${server.origin}/#/person/${alice}`);
    await page.getByTestId('face-grid').locator('.cell[data-index="0"]').click();
    await page.keyboard.press('m');
    await page.keyboard.press('Shift+C'); // a letter typed on the button opens the list filtered by it
    const input = page.getByRole('combobox');
    await expect.poll(() => input.inputValue()).toBe('C');
    await input.press('End');
    await page.keyboard.type('arol Jones');
    await expect.poll(() => options().first().textContent()).toContain('New person "Carol Jones"');
    await expect(options().first().getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('.picker-note').textContent()).resolves.toBe(
      'Nobody matches "Carol Jones": Enter makes a new person',
    );
    await shot('04-new-person-typed');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel("New person's name").inputValue()).toBe('Carol Jones');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('person-count').textContent(), { timeout: 30_000 }).toMatch(/^4 faces/);
    const carol = (await engine.listPeople({})).find((p) => p.name === 'Carol Jones');
    expect(carol?.faceCount).toBe(1);
    expect((await historyLabels())[0]).toBe('Moved 1 face to Carol Jones');
  });

  it('an unnamed person is "Unnamed #<id>" in its view; "Merge into…" by type-ahead; History says so', async () => {
    const source = unnamed[0]!;
    await page.goto(`${server.origin}/#/person/${source}`);
    await expect.poll(() => page.locator('h1.person-name').textContent()).toBe(`Unnamed #${source}`);
    await page.getByTestId('face-grid').locator('.cell').first().waitFor();
    await shot('05-unnamed-person-view');
    await page.getByLabel('Merge into…').click();
    await page.getByRole('combobox').fill('al');
    // "Alice Martin" starts with it, "Bob Alder" has a word that does: Alice first and highlighted.
    await expect.poll(() => options().locator('.picker-name').allTextContents()).toEqual(['Alice Martin', 'Bob Alder']);
    await expect(options().first().getAttribute('aria-selected')).resolves.toBe('true');
    await shot('06-merge-into-type-ahead');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('confirm-bar').textContent())
      .toMatch(new RegExp(`^Merge \\d+ faces? of Unnamed #${source} into Alice Martin\\?`));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/person/${alice}$`), { timeout: 30_000 });
    expect((await historyLabels())[0]).toBe(`Merged Unnamed #${source} into Alice Martin`);
    expect(errors).toEqual([]);
  });

  it('Settings and Threshold say it in plain words first; the technical names are behind "Details"', async () => {
    await page.goto(`${server.origin}/#/settings`);
    const finder = page.getByLabel('Face finder');
    await expect.poll(() => finder.locator('option:checked').textContent()).toBe('Accurate (recommended)');
    expect(await finder.inputValue()).toBe('blazeface-full'); // the stored value is unchanged
    await page.getByLabel('Use the graphics card').waitFor();
    await page.getByLabel('How strict grouping is').waitFor();
    const technical = page.getByTestId('settings-technical');
    expect(await technical.isVisible()).toBe(false);
    await shot('07-settings-plain');
    await page.locator('summary', { hasText: 'Details' }).click();
    await expect.poll(() => technical.textContent()).toContain('blazeface-full');
    expect(await technical.textContent()).toContain('squared L2 distance');
    await page.getByText('Execution providers, in order of preference').waitFor();
    // "Off" is the CPU alone, stored as before; "Automatic" lets the graphics card back in.
    await page.getByLabel('Use the graphics card').selectOption('off');
    await expect.poll(() => page.getByRole('checkbox', { name: 'cuda' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\./).waitFor();
    expect(((await engine.call('getSettings', {})) as { providers: string[] }).providers).toEqual(['cpu']);
    await shot('08-settings-details');

    await page.goto(`${server.origin}/#/threshold`);
    const slider = page.getByRole('slider', { name: /^How strict grouping is/ });
    await slider.waitFor();
    await expect
      .poll(() => page.locator('.roc-op').textContent())
      .toMatch(/^Correct matches: [\d.]+% of same-person pairs/);
    expect(await page.locator('.roc-op').textContent()).not.toMatch(/VAL|FAR/);
    await page.locator('summary', { hasText: 'Details' }).click();
    await expect.poll(() => page.getByTestId('threshold-technical').textContent()).toMatch(/VAL [\d.]+% at FAR/);
    await shot('09-threshold-plain');
    expect(errors).toEqual([]);
  });
});
