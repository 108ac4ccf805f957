/**
 * axe-core (WCAG 2 A/AA and best practice) in a built page, evaluated through the DevTools protocol so the
 * site's Content-Security-Policy still applies to the page itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every violation in the page, or only inside the first element matching `selector`. */
export async function axeViolations(page: Page, selector?: string): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async ({ selector, tags }) => {
    const w = window as unknown as { axe: { run: (ctx: Element | Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const ctx = selector ? document.querySelector(selector) : document;
    if (!ctx) throw new Error(`axe: no element matches ${selector}`);
    const result = await w.axe.run(ctx, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, { selector, tags: TAGS });
}

/** The serious and critical violations, one line each, for an `expect(...).toEqual([])`. */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<string[]> {
  return (await axeViolations(page, selector))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' | ')}`);
}
