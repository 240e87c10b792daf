CREATE TABLE `gateway_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`daily_budget_usd` real,
	`monthly_budget_usd` real,
	`models` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gateway_keys_key_hash_idx` ON `gateway_keys` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `gateway_keys_name_idx` ON `gateway_keys` (`name`);--> statement-breakpoint
CREATE TABLE `model_aliases` (
	`alias` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `model_aliases_model_idx` ON `model_aliases` (`model`);--> statement-breakpoint
ALTER TABLE `calls` ADD `source` text DEFAULT 'playground' NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `gateway_key_id` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `key_name` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `tags` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `end_user` text;--> statement-breakpoint
CREATE INDEX `calls_gateway_key_started_at_idx` ON `calls` (`gateway_key_id`,`started_at`);