import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core from npm, evaluated in the page under test: no browser download,
// no wrapper library, the same engine the browser extensions use.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  summary: string;
}

/** Every WCAG 2.x A/AA (and best-practice) violation axe finds in the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy (script-src
  // 'self') rightly does not cover: a <script> tag would be refused.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<any> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as any[]).map((violation) => ({
      id: violation.id as string,
      impact: violation.impact as string | null,
      help: violation.help as string,
      targets: (violation.nodes as any[]).map((node) => String(node.target)),
      summary: (violation.nodes as any[])
        .slice(0, 3)
        .map((node) => node.failureSummary as string)
        .join(' | '),
    }));
  });
}

/** One line per violation, for a failure message a person can act on. */
export function describeViolations(screen: string, violations: AxeViolation[]): string[] {
  return violations.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 4).join(', ')} — ${v.summary}`);
}
