-- The rollups (usage_hourly, usage_daily, timing_daily, run_costs) are now kept in step with
-- `calls` by one mechanism instead of sixteen per-row triggers:
--
-- - `call_rollup_contributions` says, once, what one call adds to the rollups.
-- - A write stages each touched call's contribution in `rollup_staging`: -1 × its old one
--   (before the write) and +1 × its new one (after). Inserting a row into `rollup_folds` then
--   folds everything staged into the rollups, grouped by bucket, and empties the staging.
-- - The recorder (lib/db/call-writes.ts), which writes almost every row, stages a whole batch
--   with two set-based statements and folds once per batch. While it does, a row in
--   `recorder_batches` (inside its own write transaction, so no other connection ever sees it)
--   switches off the per-row triggers below.
-- - Any other write to `calls` (re-pricing, crash recovery, a run deleted, SQL typed by hand)
--   goes through the per-row triggers, which stage and fold the same way.
--
-- Calls count once they have ended: a call that starts running changes no rollup, and the
-- recorder's usual batch (calls started, streamed, finished) stages one row per finished call.
DROP TRIGGER IF EXISTS `calls_usage_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_same_bucket`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_moved`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_daily_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_daily_after_update_same_bucket`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_daily_after_update_moved`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_daily_after_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_timing_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_timing_after_update_remove`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_timing_after_update_add`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_timing_after_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_run_costs_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_run_costs_after_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_run_costs_after_update_moved`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_run_costs_after_delete`;
--> statement-breakpoint
-- A call counts once it has ended (a running call adds nothing yet), in the hour and UTC day
-- it started. Timing buckets are ten per decade
-- (lib/reports/histogram.ts), -1 for values below 1; a speed needs a successful call with
-- output and at least 50 ms of streaming after the first token.
CREATE VIEW `call_rollup_contributions` AS SELECT
  `id`,
  `run_id`,
  `started_at`,
  (`started_at` / 3600000) * 3600000 AS `hour_start`,
  (`started_at` / 86400000) * 86400000 AS `day_start`,
  `provider`,
  `model`,
  coalesce(`input_tokens`, 0) AS `input_tokens`,
  coalesce(`output_tokens`, 0) AS `output_tokens`,
  coalesce(`cache_read_tokens`, 0) AS `cache_read_tokens`,
  coalesce(`cache_write_tokens`, 0) AS `cache_write_tokens`,
  coalesce(`reasoning_tokens`, 0) AS `reasoning_tokens`,
  coalesce(`cost_usd`, 0) AS `cost_usd`,
  coalesce(`savings_usd`, 0) AS `savings_usd`,
  (`pricing_status` IS 'unpriced') AS `unpriced_calls`,
  (`status` IS 'error') AS `error_calls`,
  (`usage_status` IS 'missing' AND `status` IS NOT 'running') AS `usage_missing_calls`,
  (`cache_read_tokens` IS NOT NULL) AS `cache_reported_calls`,
  (CASE WHEN `cache_read_tokens` IS NOT NULL THEN coalesce(`input_tokens`, 0) ELSE 0 END) AS `cache_reported_input_tokens`,
  (CASE WHEN `ttft_ms` IS NULL THEN NULL WHEN `ttft_ms` < 1 THEN -1
    ELSE CAST(floor(10 * log10(`ttft_ms`)) AS INTEGER) END) AS `ttft_bucket`,
  (CASE WHEN `tokens_per_second` IS NULL THEN NULL WHEN `tokens_per_second` < 1 THEN -1
    ELSE CAST(floor(10 * log10(`tokens_per_second`)) AS INTEGER) END) AS `tps_bucket`
FROM (
  SELECT *, (CASE WHEN `status` = 'ok' AND `output_tokens` > 0 AND `duration_ms` - `ttft_ms` >= 50
    THEN `output_tokens` * 1000.0 / (`duration_ms` - `ttft_ms`) END) AS `tokens_per_second`
  FROM `calls` WHERE `status` <> 'running'
);
--> statement-breakpoint
-- The same columns as the view, in its order, with the sign in front.
CREATE TABLE `rollup_staging` AS SELECT 0 AS `sign`, * FROM `call_rollup_contributions` WHERE false;
--> statement-breakpoint
CREATE TABLE `rollup_folds` (`id` integer PRIMARY KEY);
--> statement-breakpoint
CREATE TABLE `recorder_batches` (`id` integer PRIMARY KEY);
--> statement-breakpoint
CREATE TRIGGER `rollup_fold` AFTER INSERT ON `rollup_folds` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
    SELECT `hour_start`, min(`provider`), `model`, sum(`sign`), sum(`sign` * `input_tokens`), sum(`sign` * `output_tokens`), sum(`sign` * `cache_read_tokens`), sum(`sign` * `cache_write_tokens`), sum(`sign` * `reasoning_tokens`), sum(`sign` * `cost_usd`), sum(`sign` * `savings_usd`), sum(`sign` * `unpriced_calls`), sum(`sign` * `error_calls`), sum(`sign` * `usage_missing_calls`), sum(`sign` * `cache_reported_calls`), sum(`sign` * `cache_reported_input_tokens`)
    FROM `rollup_staging` GROUP BY `hour_start`, `model`
  ON CONFLICT (`hour_start`, `model`) DO UPDATE SET
    `calls` = `calls` + excluded.`calls`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `cache_read_tokens` = `cache_read_tokens` + excluded.`cache_read_tokens`,
    `cache_write_tokens` = `cache_write_tokens` + excluded.`cache_write_tokens`,
    `reasoning_tokens` = `reasoning_tokens` + excluded.`reasoning_tokens`,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`,
    `savings_usd` = `savings_usd` + excluded.`savings_usd`,
    `unpriced_calls` = `unpriced_calls` + excluded.`unpriced_calls`,
    `error_calls` = `error_calls` + excluded.`error_calls`,
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`,
    `cache_reported_calls` = `cache_reported_calls` + excluded.`cache_reported_calls`,
    `cache_reported_input_tokens` = `cache_reported_input_tokens` + excluded.`cache_reported_input_tokens`;
  INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
    SELECT `day_start`, min(`provider`), `model`, sum(`sign`), sum(`sign` * `input_tokens`), sum(`sign` * `output_tokens`), sum(`sign` * `cache_read_tokens`), sum(`sign` * `cache_write_tokens`), sum(`sign` * `reasoning_tokens`), sum(`sign` * `cost_usd`), sum(`sign` * `savings_usd`), sum(`sign` * `unpriced_calls`), sum(`sign` * `error_calls`), sum(`sign` * `usage_missing_calls`), sum(`sign` * `cache_reported_calls`), sum(`sign` * `cache_reported_input_tokens`)
    FROM `rollup_staging` GROUP BY `day_start`, `model`
  ON CONFLICT (`day_start`, `model`) DO UPDATE SET
    `calls` = `calls` + excluded.`calls`,
    `input_tokens` = `input_tokens` + excluded.`input_tokens`,
    `output_tokens` = `output_tokens` + excluded.`output_tokens`,
    `cache_read_tokens` = `cache_read_tokens` + excluded.`cache_read_tokens`,
    `cache_write_tokens` = `cache_write_tokens` + excluded.`cache_write_tokens`,
    `reasoning_tokens` = `reasoning_tokens` + excluded.`reasoning_tokens`,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`,
    `savings_usd` = `savings_usd` + excluded.`savings_usd`,
    `unpriced_calls` = `unpriced_calls` + excluded.`unpriced_calls`,
    `error_calls` = `error_calls` + excluded.`error_calls`,
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`,
    `cache_reported_calls` = `cache_reported_calls` + excluded.`cache_reported_calls`,
    `cache_reported_input_tokens` = `cache_reported_input_tokens` + excluded.`cache_reported_input_tokens`;
  INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
    SELECT `day_start`, `model`, min(`provider`), `metric`, `bucket`, sum(`sign`) FROM (
      SELECT `day_start`, `model`, `provider`, 'ttft' AS `metric`, `ttft_bucket` AS `bucket`, `sign`
        FROM `rollup_staging` WHERE `ttft_bucket` IS NOT NULL
      UNION ALL
      SELECT `day_start`, `model`, `provider`, 'tps', `tps_bucket`, `sign`
        FROM `rollup_staging` WHERE `tps_bucket` IS NOT NULL
    ) GROUP BY `day_start`, `model`, `metric`, `bucket`
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO UPDATE SET `calls` = `calls` + excluded.`calls`;
  -- Runs that only gained calls (the recorder finishing calls) are added to; a run that lost
  -- or changed a call is summed again from its calls (at most 16), so its earliest start
  -- stays exact.
  DELETE FROM `run_costs` WHERE `run_id` IN (SELECT `run_id` FROM `rollup_staging` WHERE `sign` < 0);
  INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
    SELECT `run_id`, min(`started_at`), count(*), total(`cost_usd`), sum(`unpriced_calls`)
    FROM `call_rollup_contributions`
    WHERE `run_id` IN (SELECT `run_id` FROM `rollup_staging` WHERE `sign` < 0)
    GROUP BY `run_id`;
  INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
    SELECT `run_id`, min(`started_at`), count(*), total(`cost_usd`), sum(`unpriced_calls`)
    FROM `rollup_staging`
    WHERE `run_id` NOT IN (SELECT `run_id` FROM `rollup_staging` WHERE `sign` < 0)
    GROUP BY `run_id`
  ON CONFLICT (`run_id`) DO UPDATE SET
    `started_at` = min(`started_at`, excluded.`started_at`),
    `calls` = `calls` + excluded.`calls`,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`,
    `unpriced_calls` = `unpriced_calls` + excluded.`unpriced_calls`;
  DELETE FROM `rollup_staging`;
  DELETE FROM `rollup_folds`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_rollups_after_insert` AFTER INSERT ON `calls`
WHEN NOT EXISTS (SELECT 1 FROM `recorder_batches`) BEGIN
  INSERT INTO `rollup_staging` SELECT 1, * FROM `call_rollup_contributions` WHERE `id` = NEW.`id`;
  INSERT INTO `rollup_folds` (`id`) VALUES (NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `calls_rollups_before_update` BEFORE UPDATE OF `run_id`, `started_at`, `provider`, `model`, `status`, `usage_status`, `pricing_status`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `ttft_ms`, `duration_ms` ON `calls`
WHEN NOT EXISTS (SELECT 1 FROM `recorder_batches`) BEGIN
  INSERT INTO `rollup_staging` SELECT -1, * FROM `call_rollup_contributions` WHERE `id` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_rollups_after_update` AFTER UPDATE OF `run_id`, `started_at`, `provider`, `model`, `status`, `usage_status`, `pricing_status`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `ttft_ms`, `duration_ms` ON `calls`
WHEN NOT EXISTS (SELECT 1 FROM `recorder_batches`) BEGIN
  INSERT INTO `rollup_staging` SELECT 1, * FROM `call_rollup_contributions` WHERE `id` = NEW.`id`;
  INSERT INTO `rollup_folds` (`id`) VALUES (NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `calls_rollups_before_delete` BEFORE DELETE ON `calls`
WHEN NOT EXISTS (SELECT 1 FROM `recorder_batches`) BEGIN
  INSERT INTO `rollup_staging` SELECT -1, * FROM `call_rollup_contributions` WHERE `id` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_rollups_after_delete` AFTER DELETE ON `calls`
WHEN NOT EXISTS (SELECT 1 FROM `recorder_batches`) BEGIN
  INSERT INTO `rollup_folds` (`id`) VALUES (NULL);
END;
