CREATE TABLE `case_reminder` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`kind` text NOT NULL,
	`claim_key` text NOT NULL,
	`deadline_at` integer NOT NULL,
	`actor_id` text,
	`missing` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `rcp_case`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_reminder_claim_idx` ON `case_reminder` (`claim_key`);--> statement-breakpoint
CREATE INDEX `case_reminder_case_idx` ON `case_reminder` (`case_id`,`created_at`);