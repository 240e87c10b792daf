/**
 * `npm run bench:page-weight`: the first-load JavaScript of `/` in the production build,
 * gzipped — every script the page's HTML loads before it is interactive. Measured from what
 * the server actually sends (not from build manifests, whose format changes between Next
 * versions and bundlers): it starts `next start` (what `npm start` runs) on a free port with a throwaway database,
 * fetches `/`, then fetches and gzips each `/_next/static` script. Goal: ≤ 200 KB.
 * KB here is 1000 bytes, as Next reports sizes. Needs a build (`npx next build`).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { startProductionServer } from "@/test/support/production-server";

const root = path.resolve(import.meta.dirname, "..");
const GOAL_KB = 200;

/**
 * Script URLs the HTML loads, in document order, without duplicates. `nomodule` scripts (the
 * legacy polyfills) are skipped: browsers that run the app never download them.
 */
export function scriptSources(html: string): string[] {
  const sources = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*>/g)) {
    const tag = match[0];
    if (/\snomodule\b/i.test(tag)) continue;
    const source = /\bsrc="([^"]+)"/.exec(tag)?.[1]?.replaceAll("&amp;", "&");
    if (source?.includes("/_next/static/")) sources.add(source);
  }
  return [...sources];
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("page-weight: no production build; run `npx next build` first");
    process.exit(1);
  }
  const server = await startProductionServer({ name: "page-weight" });
  const origin = server.url;
  try {
    const html = await (await fetch(`${origin}/`)).text();
    const sources = scriptSources(html);
    if (sources.length === 0)
      throw new Error("the page loads no scripts: is this the right build?");
    let rawTotal = 0;
    let gzipTotal = 0;
    for (const source of sources) {
      const body = Buffer.from(await (await fetch(new URL(source, origin))).arrayBuffer());
      const gzipped = gzipSync(body).length;
      rawTotal += body.length;
      gzipTotal += gzipped;
      console.log(
        `${(gzipped / 1000).toFixed(1).padStart(7)} KB gzip  ${(body.length / 1000).toFixed(1).padStart(7)} KB  ${source}`,
      );
    }
    console.log(
      `${sources.length} scripts, ${(rawTotal / 1000).toFixed(1)} KB raw; goal ≤ ${GOAL_KB} KB gzip`,
    );
    console.log(`first-load js ${(gzipTotal / 1000).toFixed(1)} KB gzip`);
  } finally {
    await server.close();
  }
}

await main();
