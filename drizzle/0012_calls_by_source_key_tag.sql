CREATE INDEX `calls_source_started_at_idx` ON `calls` (`source`,`started_at`);--> statement-breakpoint
CREATE INDEX `calls_keyed_started_at_idx` ON `calls` (`started_at`) WHERE "calls"."key_name" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `calls_tagged_started_at_idx` ON `calls` (`started_at`) WHERE "calls"."tags" IS NOT NULL;