-- Keeps `usage_hourly` equal to sums over `calls` on every insert, update and delete, so
-- usage reports never scan the calls table (see lib/db/schema.ts). A call counts in the hour
-- it started; its tokens, cost and savings are added when they are written.
CREATE TRIGGER `calls_usage_after_insert` AFTER INSERT ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`)
  VALUES ((NEW.started_at / 3600000) * 3600000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'))
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
    `error_calls` = `error_calls` + excluded.`error_calls`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_update_same_bucket` AFTER UPDATE OF started_at, provider, model, status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
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
    `error_calls` = `error_calls` + (NEW.status IS 'error') - (OLD.status IS 'error')
  WHERE `hour_start` = (NEW.started_at / 3600000) * 3600000 AND `model` = NEW.model;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_update_moved` AFTER UPDATE OF started_at, provider, model, status, pricing_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, savings_usd ON `calls`
WHEN (OLD.started_at / 3600000) <> (NEW.started_at / 3600000) OR OLD.model <> NEW.model BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`)
  VALUES ((OLD.started_at / 3600000) * 3600000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'))
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
    `error_calls` = `error_calls` + excluded.`error_calls`;
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`)
  VALUES ((NEW.started_at / 3600000) * 3600000, NEW.provider, NEW.model, 1,
    coalesce(NEW.input_tokens, 0),
    coalesce(NEW.output_tokens, 0),
    coalesce(NEW.cache_read_tokens, 0),
    coalesce(NEW.cache_write_tokens, 0),
    coalesce(NEW.reasoning_tokens, 0),
    coalesce(NEW.cost_usd, 0),
    coalesce(NEW.savings_usd, 0),
    (NEW.pricing_status IS 'unpriced'),
    (NEW.status IS 'error'))
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
    `error_calls` = `error_calls` + excluded.`error_calls`;
END;
--> statement-breakpoint
CREATE TRIGGER `calls_usage_after_delete` AFTER DELETE ON `calls` BEGIN
  INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`)
  VALUES ((OLD.started_at / 3600000) * 3600000, OLD.provider, OLD.model, -1,
    -coalesce(OLD.input_tokens, 0),
    -coalesce(OLD.output_tokens, 0),
    -coalesce(OLD.cache_read_tokens, 0),
    -coalesce(OLD.cache_write_tokens, 0),
    -coalesce(OLD.reasoning_tokens, 0),
    -coalesce(OLD.cost_usd, 0),
    -coalesce(OLD.savings_usd, 0),
    -(OLD.pricing_status IS 'unpriced'),
    -(OLD.status IS 'error'))
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
    `error_calls` = `error_calls` + excluded.`error_calls`;
END;
--> statement-breakpoint
-- Backfill, for a database that already holds calls.
INSERT INTO `usage_hourly` (`hour_start`, `provider`, `model`, `calls`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`, `cost_usd`, `savings_usd`, `unpriced_calls`, `error_calls`)
  SELECT (started_at / 3600000) * 3600000, min(provider), model, count(*),
    coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0), total(coalesce(cost_usd, 0)), total(coalesce(savings_usd, 0)),
    sum(pricing_status IS 'unpriced'), sum(status IS 'error')
  FROM `calls` WHERE true GROUP BY 1, model
  ON CONFLICT (`hour_start`, `model`) DO NOTHING;
