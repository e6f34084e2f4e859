CREATE TABLE `form_submission` (
	`token` text PRIMARY KEY NOT NULL,
	`actor_key` text NOT NULL,
	`scope` text NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `establishment` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `user` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `pathway` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `meeting_series` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `meeting` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `rcp_case` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `attempt_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `send_started_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `maybe_sent_at` integer;