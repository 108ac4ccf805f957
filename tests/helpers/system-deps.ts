/**
 * Tests that need a system package (Debian's chromium, dataset-fashion-mnist…) skip with a loud
 * message where it is missing. CI sets ATLAS_REQUIRE_SYSTEM_DEPS=1, which turns the skip into a failure.
 */
import { existsSync } from 'node:fs';

export const REQUIRE_SYSTEM_DEPS = process.env.ATLAS_REQUIRE_SYSTEM_DEPS === '1';

/**
 * Returns true when the dependency is there. When it is missing: throws under
 * ATLAS_REQUIRE_SYSTEM_DEPS=1, else prints a banner and returns false (the caller skips).
 */
export function hasSystemDep(name: string, available: boolean, install: string): boolean {
  if (available) return true;
  const msg = `${name} is missing. Install it with: ${install}`;
  if (REQUIRE_SYSTEM_DEPS) throw new Error(`${msg} (ATLAS_REQUIRE_SYSTEM_DEPS=1 makes this a failure)`);
  const bar = '!'.repeat(Math.min(100, msg.length + 14));
  console.warn(`\n${bar}\n!!! SKIPPED: ${msg}\n${bar}\n`);
  return false;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => hasSystemDep('Chromium', existsSync(CHROMIUM), 'apt-get install -y chromium fonts-noto-cjk');
