CREATE TABLE `calls` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`call_index` integer NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`model_id` text NOT NULL,
	`params` text NOT NULL,
	`system` text,
	`status` text NOT NULL,
	`stop_reason` text,
	`raw_stop_reason` text,
	`error_kind` text,
	`error_code` text,
	`error_status` integer,
	`error_message` text,
	`error_retry_after_ms` integer,
	`output` text DEFAULT '' NOT NULL,
	`tool_calls` text DEFAULT '[]' NOT NULL,
	`request` text,
	`unsupported` text,
	`started_at` integer NOT NULL,
	`first_token_at` integer,
	`finished_at` integer,
	`ttft_ms` integer,
	`duration_ms` integer,
	`input_tokens` integer,
	`output_tokens` integer,
	`cache_read_tokens` integer,
	`cache_write_tokens` integer,
	`cache_write_5m_tokens` integer,
	`cache_write_1h_tokens` integer,
	`reasoning_tokens` integer,
	`usage_status` text DEFAULT 'missing' NOT NULL,
	`raw_usage` text,
	`cost_usd` real,
	`cost_input_usd` real,
	`cost_cache_read_usd` real,
	`cost_cache_write_usd` real,
	`cost_output_usd` real,
	`savings_usd` real,
	`price_source` text,
	`pricing_status` text,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `calls_run_index_idx` ON `calls` (`run_id`,`call_index`);--> statement-breakpoint
CREATE INDEX `calls_started_at_idx` ON `calls` (`started_at`);--> statement-breakpoint
CREATE TABLE `price_overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`model_pattern` text NOT NULL,
	`input_per_million` real NOT NULL,
	`output_per_million` real NOT NULL,
	`cache_read_per_million` real,
	`cache_write_per_million` real,
	`cache_write_5m_per_million` real,
	`cache_write_1h_per_million` real,
	`effective_from` integer NOT NULL,
	`created_at` integer NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_overrides_key_idx` ON `price_overrides` (`provider`,`model_pattern`,`effective_from`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`system` text,
	`messages` text NOT NULL,
	`tools` text,
	`response_format` text,
	`title` text DEFAULT '' NOT NULL,
	`search_text` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `runs_created_at_idx` ON `runs` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `usage_hourly` (
	`hour_start` integer NOT NULL,
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
	PRIMARY KEY(`hour_start`, `model`)
);
--> statement-breakpoint
CREATE INDEX `usage_hourly_provider_idx` ON `usage_hourly` (`provider`,`hour_start`);--> statement-breakpoint
CREATE INDEX `usage_hourly_model_idx` ON `usage_hourly` (`model`,`hour_start`);