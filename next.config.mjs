/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only SDKs stay out of the server bundle and load from node_modules.
  serverExternalPackages: ["better-sqlite3", "oci-common"],
};

export default nextConfig;
