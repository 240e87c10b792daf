/**
 * How the end-to-end tests and the browser benches launch Chromium: Debian's own build (a test
 * tool's browser download cannot work here), headless without a sandbox or a GPU, and with the
 * browser's own background traffic off.
 */
import type { LaunchOptions } from "@playwright/test";

export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
