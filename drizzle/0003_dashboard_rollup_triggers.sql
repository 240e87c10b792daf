-- Dashboard rollups, kept in step with `calls` by triggers (see lib/db/schema.ts):
-- `usage_hourly` also counts finished calls that reported no usage; `timing_daily` holds
-- per-day histograms of time to first token and output speed; `run_costs` sums each run.
-- The usage_hourly triggers of 0001 are replaced by the same ones plus the new column.
DROP TRIGGER IF EXISTS `calls_usage_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_same_bucket`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_moved`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_delete`;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`)
  VALUES ((NEW.started_at / 3600000) * 3600000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'),
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'))
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
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_update_same_bucket` AFTER UPDATE OF started_at, provider, model, status, usage_status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 3600000) = (NEW.started_at / 3600000) AND OLD.model = NEW.model BEGIN
  UPDATE `usage_hourly` SET
    `input_tokens` = `input_tokens` + coalesce(NEW.input_tokens, 0) - coalesce(OLD.input_tokens, 0),
    `output_tokens` = `output_tokens` + coalesce(NEW.output_tokens, 0) - coalesce(OLD.output_tokens, 0),
    `cache_read_tokens` = `cache_read_tokens` + coalesce(NEW.cache_read_tokens, 0) - coalesce(OLD.cache_read_tokens, 0),
    `cache_write_tokens` = `cache_write_tokens` + coalesce(NEW.cache_write_tokens, 0) - coalesce(OLD.cache_write_tokens, 0),
    `reasoning_tokens` = `reasoning_tokens` + coalesce(NEW.reasoning_tokens, 0) - coalesce(OLD.reasoning_tokens, 0),
    `cost_usd` = `cost_usd` + coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0),
    `savings_usd` = `savings_usd` + coalesce(NEW.savings_usd, 0) - coalesce(OLD.savings_usd, 0),
    `unpriced_calls` = `unpriced_calls` + (NEW.pricing_status IS 'unpriced') - (OLD.pricing_status IS 'unpriced'),
    `error_calls` = `error_calls` + (NEW.status IS 'error') - (OLD.status IS 'error'),
    `usage_missing_calls` = `usage_missing_calls` + (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running') - (OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running')
  WHERE `hour_start` = (NEW.started_at / 3600000) * 3600000 AND `model` = NEW.model;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_update_moved` AFTER UPDATE OF started_at, provider, model, status, usage_status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 3600000) <> (NEW.started_at / 3600000) OR OLD.model <> NEW.model BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`)
  VALUES ((OLD.started_at / 3600000) * 3600000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'),
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'))
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
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`;
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`)
  VALUES ((NEW.started_at / 3600000) * 3600000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'),
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'))
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
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_delete` AFTER DELETE ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`)
  VALUES ((OLD.started_at / 3600000) * 3600000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'),
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'))
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
    `usage_missing_calls` = `usage_missing_calls` + excluded.`usage_missing_calls`;
END;
--> statement-breakpoint
-- Backfill of the new column, for a database that already holds calls.
UPDATE `usage_hourly` SET `usage_missing_calls` = missing.calls
FROM (
  SELECT (started_at / 3600000) * 3600000 AS hour_start, model, count(*) AS calls
  FROM `calls` WHERE usage_status = 'missing' AND status <> 'running' GROUP BY 1, 2
) AS missing
WHERE `usage_hourly`.`hour_start` = missing.hour_start AND `usage_hourly`.`model` = missing.model;
--> statement-breakpoint
-- A call's timings count in the UTC day it started; buckets are ten per decade
-- (lib/reports/histogram.ts). Both metrics need a first token, so a call without one (every
-- call while it runs) skips these triggers entirely.
CREATE TRIGGER `calls_timing_after_insert` AFTER INSERT ON `calls`
WHEN NEW.ttft_ms IS NOT NULL BEGIN
  INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
    SELECT (NEW.started_at / 86400000) * 86400000, NEW.model, NEW.provider, 'ttft', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), 1
    FROM (SELECT NEW.ttft_ms AS value) WHERE value IS NOT NULL
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO UPDATE SET `calls` = `calls` + 1;
  INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
    SELECT (NEW.started_at / 86400000) * 86400000, NEW.model, NEW.provider, 'tps', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), 1
    FROM (SELECT (CASE WHEN NEW.status = 'ok' AND NEW.output_tokens > 0 AND NEW.duration_ms - NEW.ttft_ms >= 50 THEN NEW.output_tokens * 1000.0 / (NEW.duration_ms - NEW.ttft_ms) END) AS value) WHERE value IS NOT NULL
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO UPDATE SET `calls` = `calls` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_timing_after_update_remove` AFTER UPDATE OF started_at, model, provider, status, ttft_ms, duration_ms, output_tokens ON `calls`
WHEN OLD.ttft_ms IS NOT NULL BEGIN
  UPDATE `timing_daily` SET `calls` = `calls` - 1
  WHERE `day_start` = (OLD.started_at / 86400000) * 86400000 AND `model` = OLD.model AND `metric` = 'ttft'
    AND `bucket` = (SELECT (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END) FROM (SELECT OLD.ttft_ms AS value) WHERE value IS NOT NULL);
  UPDATE `timing_daily` SET `calls` = `calls` - 1
  WHERE `day_start` = (OLD.started_at / 86400000) * 86400000 AND `model` = OLD.model AND `metric` = 'tps'
    AND `bucket` = (SELECT (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END) FROM (SELECT (CASE WHEN OLD.status = 'ok' AND OLD.output_tokens > 0 AND OLD.duration_ms - OLD.ttft_ms >= 50 THEN OLD.output_tokens * 1000.0 / (OLD.duration_ms - OLD.ttft_ms) END) AS value) WHERE value IS NOT NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `calls_timing_after_update_add` AFTER UPDATE OF started_at, model, provider, status, ttft_ms, duration_ms, output_tokens ON `calls`
WHEN NEW.ttft_ms IS NOT NULL BEGIN
  INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
    SELECT (NEW.started_at / 86400000) * 86400000, NEW.model, NEW.provider, 'ttft', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), 1
    FROM (SELECT NEW.ttft_ms AS value) WHERE value IS NOT NULL
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO UPDATE SET `calls` = `calls` + 1;
  INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
    SELECT (NEW.started_at / 86400000) * 86400000, NEW.model, NEW.provider, 'tps', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), 1
    FROM (SELECT (CASE WHEN NEW.status = 'ok' AND NEW.output_tokens > 0 AND NEW.duration_ms - NEW.ttft_ms >= 50 THEN NEW.output_tokens * 1000.0 / (NEW.duration_ms - NEW.ttft_ms) END) AS value) WHERE value IS NOT NULL
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO UPDATE SET `calls` = `calls` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_timing_after_delete` AFTER DELETE ON `calls`
WHEN OLD.ttft_ms IS NOT NULL BEGIN
  UPDATE `timing_daily` SET `calls` = `calls` - 1
  WHERE `day_start` = (OLD.started_at / 86400000) * 86400000 AND `model` = OLD.model AND `metric` = 'ttft'
    AND `bucket` = (SELECT (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END) FROM (SELECT OLD.ttft_ms AS value) WHERE value IS NOT NULL);
  UPDATE `timing_daily` SET `calls` = `calls` - 1
  WHERE `day_start` = (OLD.started_at / 86400000) * 86400000 AND `model` = OLD.model AND `metric` = 'tps'
    AND `bucket` = (SELECT (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END) FROM (SELECT (CASE WHEN OLD.status = 'ok' AND OLD.output_tokens > 0 AND OLD.duration_ms - OLD.ttft_ms >= 50 THEN OLD.output_tokens * 1000.0 / (OLD.duration_ms - OLD.ttft_ms) END) AS value) WHERE value IS NOT NULL);
END;
--> statement-breakpoint
-- Backfill, for a database that already holds calls.
INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
  SELECT day_start, model, min(provider), 'ttft', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), count(*)
  FROM (SELECT (started_at / 86400000) * 86400000 AS day_start, model, provider, ttft_ms AS value FROM `calls`)
  WHERE value IS NOT NULL GROUP BY day_start, model, 5
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO NOTHING;
--> statement-breakpoint
INSERT INTO `timing_daily` (`day_start`, `model`, `provider`, `metric`, `bucket`, `calls`)
  SELECT day_start, model, min(provider), 'tps', (CASE WHEN value < 1 THEN -1 ELSE CAST(floor(10 * log10(value)) AS INTEGER) END), count(*)
  FROM (SELECT (started_at / 86400000) * 86400000 AS day_start, model, provider, (CASE WHEN status = 'ok' AND output_tokens > 0 AND duration_ms - ttft_ms >= 50 THEN output_tokens * 1000.0 / (duration_ms - ttft_ms) END) AS value FROM `calls`)
  WHERE value IS NOT NULL GROUP BY day_start, model, 5
  ON CONFLICT (`day_start`, `model`, `metric`, `bucket`) DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER `calls_run_costs_after_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
  VALUES (NEW.run_id, NEW.started_at, 1, coalesce(NEW.cost_usd, 0), NEW.pricing_status IS 'unpriced')
  ON CONFLICT (`run_id`) DO UPDATE SET
    `started_at` = min(`started_at`, excluded.`started_at`),
    `calls` = `calls` + 1,
    `cost_usd` = `cost_usd` + excluded.`cost_usd`,
    `unpriced_calls` = `unpriced_calls` + excluded.`unpriced_calls`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_run_costs_after_update` AFTER UPDATE OF run_id, started_at, cost_usd, pricing_status ON `calls`
WHEN OLD.run_id = NEW.run_id AND OLD.started_at = NEW.started_at BEGIN
  UPDATE `run_costs` SET
    `cost_usd` = `cost_usd` + coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0),
    `unpriced_calls` = `unpriced_calls` + (NEW.pricing_status IS 'unpriced') - (OLD.pricing_status IS 'unpriced')
  WHERE `run_id` = NEW.run_id;
END;
--> statement-breakpoint
-- Rare (nothing moves a call today): the runs involved are summed again from their calls.
CREATE TRIGGER `calls_run_costs_after_update_moved` AFTER UPDATE OF run_id, started_at ON `calls`
WHEN OLD.run_id <> NEW.run_id OR OLD.started_at <> NEW.started_at BEGIN
  DELETE FROM `run_costs` WHERE `run_id` IN (OLD.run_id, NEW.run_id);
  INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
    SELECT run_id, min(started_at), count(*), total(cost_usd), sum(pricing_status IS 'unpriced')
    FROM `calls` WHERE run_id IN (OLD.run_id, NEW.run_id) GROUP BY run_id;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_run_costs_after_delete` AFTER DELETE ON `calls` BEGIN
  DELETE FROM `run_costs` WHERE `run_id` IN (OLD.run_id);
  INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
    SELECT run_id, min(started_at), count(*), total(cost_usd), sum(pricing_status IS 'unpriced')
    FROM `calls` WHERE run_id IN (OLD.run_id) GROUP BY run_id;
END;
--> statement-breakpoint
-- Backfill, for a database that already holds calls.
INSERT INTO `run_costs` (`run_id`, `started_at`, `calls`, `cost_usd`, `unpriced_calls`)
  SELECT run_id, min(started_at), count(*), total(cost_usd), sum(pricing_status IS 'unpriced')
  FROM `calls` WHERE true GROUP BY run_id
  ON CONFLICT (`run_id`) DO NOTHING;
