CREATE TABLE `usage_daily` (
	`day_start` integer NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_read_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`savings_usd` real DEFAULT 0 NOT NULL,
	`unpriced_calls` integer DEFAULT 0 NOT NULL,
	`error_calls` integer DEFAULT 0 NOT NULL,
	`usage_missing_calls` integer DEFAULT 0 NOT NULL,
	`cache_reported_calls` integer DEFAULT 0 NOT NULL,
	`cache_reported_input_tokens` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day_start`, `model`)
);
--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `cache_reported_calls` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `cache_reported_input_tokens` integer DEFAULT 0 NOT NULL;