export { findBundledPrice, GENAI_PRICES_VERSION } from "./bundled-prices";
export { calculateCost, selectRates } from "./calculate-cost";
export { OCI_SEED_PRICES, seedOverrideId } from "./oci-prices";
export { priceCall } from "./price-call";
export {
  findOverride,
  modelMatchesPattern,
  overridePrice,
  resolvePrice,
} from "./resolve-price";
export type * from "./types";
