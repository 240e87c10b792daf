-- The usage dashboard's daily rollup (see lib/db/schema.ts): `usage_hourly` also counts the
-- calls (and their input tokens) that reported a cache-read count, and `usage_daily` holds the
-- same sums per UTC day. The usage_hourly triggers of 0003 are replaced by the same ones plus
-- the new columns.
DROP TRIGGER IF EXISTS `calls_usage_after_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_same_bucket`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_update_moved`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `calls_usage_after_delete`;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
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
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'),
    (NEW.cache_read_tokens IS NOT NULL),
    (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END))
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
    `usage_missing_calls` = `usage_missing_calls` + (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running') - (OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    `cache_reported_calls` = `cache_reported_calls` + (NEW.cache_read_tokens IS NOT NULL) - (OLD.cache_read_tokens IS NOT NULL),
    `cache_reported_input_tokens` = `cache_reported_input_tokens` + (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END) - (CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END)
  WHERE `hour_start` = (NEW.started_at / 3600000) * 3600000 AND `model` = NEW.model;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_update_moved` AFTER UPDATE OF started_at, provider, model, status, usage_status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 3600000) <> (NEW.started_at / 3600000) OR OLD.model <> NEW.model BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
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
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    -(OLD.cache_read_tokens IS NOT NULL),
    -(CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END))
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
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
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
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'),
    (NEW.cache_read_tokens IS NOT NULL),
    (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END))
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
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_delete` AFTER DELETE ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
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
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    -(OLD.cache_read_tokens IS NOT NULL),
    -(CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END))
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
END;
--> statement-breakpoint
-- Backfill of the new columns, for a database that already holds calls.
UPDATE `usage_hourly` SET
  `usage_missing_calls` = added.usage_missing_calls,
  `cache_reported_calls` = added.cache_reported_calls,
  `cache_reported_input_tokens` = added.cache_reported_input_tokens
FROM (
  SELECT (started_at / 3600000) * 3600000 AS hour_start, model,
    sum(usage_status = 'missing' AND status <> 'running') AS usage_missing_calls,
    sum(cache_read_tokens IS NOT NULL) AS cache_reported_calls,
    coalesce(sum(CASE WHEN cache_read_tokens IS NOT NULL THEN coalesce(input_tokens, 0) ELSE 0 END), 0) AS cache_reported_input_tokens
  FROM `calls` WHERE true GROUP BY 1, 2
) AS added
WHERE `usage_hourly`.`hour_start` = added.hour_start AND `usage_hourly`.`model` = added.model;
--> statement-breakpoint
-- The same sums per UTC day.
CREATE TRIGGER `calls_usage_daily_after_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
  VALUES ((NEW.started_at / 86400000) * 86400000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'),
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'),
    (NEW.cache_read_tokens IS NOT NULL),
    (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END))
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
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_daily_after_update_same_bucket` AFTER UPDATE OF started_at, provider, model, status, usage_status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 86400000) = (NEW.started_at / 86400000) AND OLD.model = NEW.model BEGIN
  UPDATE `usage_daily` SET
    `input_tokens` = `input_tokens` + coalesce(NEW.input_tokens, 0) - coalesce(OLD.input_tokens, 0),
    `output_tokens` = `output_tokens` + coalesce(NEW.output_tokens, 0) - coalesce(OLD.output_tokens, 0),
    `cache_read_tokens` = `cache_read_tokens` + coalesce(NEW.cache_read_tokens, 0) - coalesce(OLD.cache_read_tokens, 0),
    `cache_write_tokens` = `cache_write_tokens` + coalesce(NEW.cache_write_tokens, 0) - coalesce(OLD.cache_write_tokens, 0),
    `reasoning_tokens` = `reasoning_tokens` + coalesce(NEW.reasoning_tokens, 0) - coalesce(OLD.reasoning_tokens, 0),
    `cost_usd` = `cost_usd` + coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0),
    `savings_usd` = `savings_usd` + coalesce(NEW.savings_usd, 0) - coalesce(OLD.savings_usd, 0),
    `unpriced_calls` = `unpriced_calls` + (NEW.pricing_status IS 'unpriced') - (OLD.pricing_status IS 'unpriced'),
    `error_calls` = `error_calls` + (NEW.status IS 'error') - (OLD.status IS 'error'),
    `usage_missing_calls` = `usage_missing_calls` + (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running') - (OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    `cache_reported_calls` = `cache_reported_calls` + (NEW.cache_read_tokens IS NOT NULL) - (OLD.cache_read_tokens IS NOT NULL),
    `cache_reported_input_tokens` = `cache_reported_input_tokens` + (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END) - (CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END)
  WHERE `day_start` = (NEW.started_at / 86400000) * 86400000 AND `model` = NEW.model;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_daily_after_update_moved` AFTER UPDATE OF started_at, provider, model, status, usage_status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 86400000) <> (NEW.started_at / 86400000) OR OLD.model <> NEW.model BEGIN
  INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
  VALUES ((OLD.started_at / 86400000) * 86400000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'),
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    -(OLD.cache_read_tokens IS NOT NULL),
    -(CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END))
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
  INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
  VALUES ((NEW.started_at / 86400000) * 86400000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'),
    (NEW.usage_status IS 'missing' AND NEW.status IS NOT 'running'),
    (NEW.cache_read_tokens IS NOT NULL),
    (CASE WHEN NEW.cache_read_tokens IS NOT NULL THEN coalesce(NEW.input_tokens, 0) ELSE 0 END))
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
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_daily_after_delete` AFTER DELETE ON `calls` BEGIN
  INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
  VALUES ((OLD.started_at / 86400000) * 86400000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'),
    -(OLD.usage_status IS 'missing' AND OLD.status IS NOT 'running'),
    -(OLD.cache_read_tokens IS NOT NULL),
    -(CASE WHEN OLD.cache_read_tokens IS NOT NULL THEN coalesce(OLD.input_tokens, 0) ELSE 0 END))
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
END;
--> statement-breakpoint
-- Backfill from the hourly rollup, which now holds every column.
INSERT INTO `usage_daily` (`day_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`, `usage_missing_calls`, `cache_reported_calls`, `cache_reported_input_tokens`)
  SELECT (hour_start / 86400000) * 86400000, min(provider), model, sum(`calls`), sum(`input_tokens`), sum(`output_tokens`), sum(`cache_read_tokens`), sum(`cache_write_tokens`), sum(`reasoning_tokens`), total(`cost_usd`), total(`savings_usd`), sum(`unpriced_calls`), sum(`error_calls`), sum(`usage_missing_calls`), sum(`cache_reported_calls`), sum(`cache_reported_input_tokens`)
  FROM `usage_hourly` WHERE true GROUP BY 1, model
  ON CONFLICT (`day_start`, `model`) DO NOTHING;
