CREATE TABLE `run_costs` (
	`run_id` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`unpriced_calls` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `run_costs_cost_idx` ON `run_costs` (`cost_usd`);--> statement-breakpoint
CREATE TABLE `timing_daily` (
	`day_start` integer NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day_start`, `model`, `metric`, `bucket`)
);
--> statement-breakpoint
ALTER TABLE `usage_hourly` ADD `usage_missing_calls` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `calls_model_started_at_idx` ON `calls` (`model`,`started_at`);