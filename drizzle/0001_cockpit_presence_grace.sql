ALTER TABLE `pathway` ADD `presence_grace_seconds` integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE `attendance` ADD `grace_until` integer;--> statement-breakpoint
ALTER TABLE `decision` ADD `draft_revision` integer DEFAULT 0 NOT NULL;