-- `unpriced` now means only "usage reported, no price known". Ended calls stored as unpriced
-- because their provider never reported usage (failed first, never sent, cancelled early)
-- become `usage_missing`; the per-row triggers of 0006 move them out of `unpriced_calls`.
UPDATE `calls` SET `pricing_status` = 'usage_missing'
WHERE `pricing_status` = 'unpriced' AND `status` IS NOT 'running'
  AND (`input_tokens` IS NULL OR `output_tokens` IS NULL);
