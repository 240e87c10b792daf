/**
 * `bench:stream-overhead` builds with LOCUS_BENCH_BUILD=1: into its own directory, and with
 * `route.bench.ts` counted as a route file, so its bare relay route exists in that build only.
 */
const benchBuild = process.env.LOCUS_BENCH_BUILD === "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only SDKs stay out of the server bundle and load from node_modules.
  serverExternalPackages: ["better-sqlite3", "oci-common"],
  ...(benchBuild
    ? { distDir: ".next-bench", pageExtensions: ["bench.ts", "tsx", "ts", "jsx", "js"] }
    : {}),
};

export default nextConfig;
