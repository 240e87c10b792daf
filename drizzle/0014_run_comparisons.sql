ALTER TABLE `runs` ADD `comparison_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `branched_from_run_id` text;--> statement-breakpoint
CREATE INDEX `runs_comparison_idx` ON `runs` (`comparison_id`);