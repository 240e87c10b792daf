CREATE TABLE `dataset_rows` (
	`dataset_id` text NOT NULL,
	`position` integer NOT NULL,
	`vars` text NOT NULL,
	`expected` text,
	PRIMARY KEY(`dataset_id`, `position`),
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`row_count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `evaluation_cells` (
	`evaluation_id` text NOT NULL,
	`row` integer NOT NULL,
	`target` integer NOT NULL,
	`sample` integer NOT NULL,
	`status` text NOT NULL,
	`call_id` text,
	`passed` integer,
	`assertions` text,
	`judge_score` integer,
	`judge_call_id` text,
	PRIMARY KEY(`evaluation_id`, `row`, `target`, `sample`),
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `evaluation_cells_status_idx` ON `evaluation_cells` (`evaluation_id`,`status`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`prompt_id` text NOT NULL,
	`prompt_version` integer NOT NULL,
	`dataset_id` text NOT NULL,
	`config` text NOT NULL,
	`total_cells` integer NOT NULL,
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evaluations_created_at_idx` ON `evaluations` (`created_at`);--> statement-breakpoint
CREATE TABLE `prompt_versions` (
	`prompt_id` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`system` text,
	`template` text NOT NULL,
	`tools` text,
	`response_format` text,
	PRIMARY KEY(`prompt_id`, `version`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `prompts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`latest_version` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompts_name_idx` ON `prompts` (`name`);--> statement-breakpoint
CREATE TABLE `votes` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`models` text NOT NULL,
	`winner` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `votes_run_idx` ON `votes` (`run_id`);