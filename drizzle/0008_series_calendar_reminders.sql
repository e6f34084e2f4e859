CREATE TABLE `invitation_reminder` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`invitee_key` text NOT NULL,
	`invitation_id` text,
	`stage` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitation`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitation_reminder_uq` ON `invitation_reminder` (`meeting_id`,`invitee_key`,`stage`);--> statement-breakpoint
ALTER TABLE `invitation` ADD `token_nonce` text;--> statement-breakpoint
ALTER TABLE `meeting_series` ADD `skip_holidays` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `meeting_series` ADD `ics_sequence` integer DEFAULT 0 NOT NULL;