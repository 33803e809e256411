import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium (apt package `chromium`; .ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";
export const chromiumMissing = existsSync(CHROMIUM)
  ? ""
  : `${CHROMIUM} is not installed (apt-get install chromium)`;

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh headless Chromium: its own profile, no network of its own (updates, sync, QUIC). */
export async function launchChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), "gw3cx-chromium-"));
  // Playwright passes --user-data-dir itself for a persistent context (and refuses it in args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // The page forbids every script; axe-core is injected by the test, not by the page.
    bypassCSP: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0-2.2 levels A and AA, and axe's best practices (landmarks, one h1, regions). */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core inside the page (WCAG 2.x A and AA plus best practices) and returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // Evaluated in the page (a string: this project's types have no DOM).
  return page.evaluate(`axe
    .run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} } })
    .then((result) => result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    })))`);
}

/** Where screenshots go: test-results/ (gitignored); the path is printed so a person can open it. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = resolve("test-results", "status-page");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  process.stdout.write(`status page screenshot: ${path}\n`);
  return path;
}
