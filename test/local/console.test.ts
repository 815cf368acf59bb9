import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  type GameLiftClient,
  StartMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { LocalService } from '../../lambdas/local/service';
import { gameLiftClient, startTestService, uniqueName } from '../support/local-service';
import { closeSkillDuel } from '../support/rule-sets';

/**
 * The local console in a real browser: Debian's chromium (never a downloaded one) driven by
 * playwright-core. SLOTFILL_CONSOLE_SCREENSHOT=<file> also saves a screenshot (docs/console.png).
 */
const CHROMIUM = '/usr/bin/chromium';

/** 1v1 within 100 skill; after 60 s of waiting within 600. */
const duel = JSON.stringify(closeSkillDuel(60));

let service: LocalService;
let client: GameLiftClient;
let browser: Browser;
let page: Page;
let configurationName: string;

beforeAll(async () => {
  service = await startTestService();
  client = gameLiftClient(service);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const ruleSetName = uniqueName('duel');
  configurationName = uniqueName('console');
  await client.send(new CreateMatchmakingRuleSetCommand({ Name: ruleSetName, RuleSetBody: duel }));
  await client.send(
    new CreateMatchmakingConfigurationCommand({
      Name: configurationName,
      RuleSetName: ruleSetName,
      RequestTimeoutSeconds: 300,
      AcceptanceRequired: false,
    }),
  );
});
afterAll(async () => {
  await browser?.close();
  client?.destroy();
  await service?.stop();
});

async function start(skill: number): Promise<string> {
  const response = await client.send(
    new StartMatchmakingCommand({
      ConfigurationName: configurationName,
      Players: [{ PlayerId: uniqueName('p'), PlayerAttributes: { skill: { N: skill } } }],
    }),
  );
  return response.MatchmakingTicket!.TicketId!;
}

describe('the local console in chromium', () => {
  it('is served at GET / and shows a match made through the SDK as it happens', async () => {
    await page.goto(`${service.url}/`);
    await page.locator(`[data-configuration="${configurationName}"]`).click();
    const first = await start(1000);
    const second = await start(1050);
    await service.runMatchmakerTick();
    // Pushed over the event stream: the page is not reloaded.
    const succeeded = page.locator('[data-testid=events] li[data-type=MatchmakingSucceeded]');
    await succeeded.first().waitFor({ timeout: 10_000 });
    await expect(succeeded.first().textContent()).resolves.toContain(first);
    await expect(succeeded.first().textContent()).resolves.toContain(second);
  });

  it('shows the pool and names the failing rule when asked why a ticket waits', async () => {
    const waiting = await start(1000);
    const far = await start(1450);
    await service.runMatchmakerTick();
    // The pool view polls: both tickets appear, searching.
    const poolRows = page.locator('[data-testid=pool-tickets] tr');
    await page.locator(`[data-testid=pool-tickets] a[data-ticket="${far}"]`).waitFor({ timeout: 10_000 });
    await expect(poolRows.count()).resolves.toBe(2);
    await expect(page.locator('[data-status=SEARCHING]').textContent()).resolves.toBe('SEARCHING 2');

    await page.locator(`[data-testid=pool-tickets] a[data-ticket="${waiting}"]`).click();
    const summary = page.locator('[data-testid=why-summary]');
    await summary.waitFor({ timeout: 10_000 });
    await expect(summary.getAttribute('data-verdict')).resolves.toBe('rules-failing');
    await expect(summary.textContent()).resolves.toContain('CloseSkill');
    const rule = page.locator('[data-testid=candidate]').first().locator('tr[data-rule=CloseSkill]');
    await expect(rule.textContent()).resolves.toMatch(/FAILED[\s\S]*450/);
    await expect(page.locator('[data-testid=next-change]').first().textContent()).resolves.toMatch(
      /rules\[CloseSkill\]\.maxDistance → 600[\s\S]*would then match/,
    );
    const screenshot = process.env.SLOTFILL_CONSOLE_SCREENSHOT;
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  });
});
