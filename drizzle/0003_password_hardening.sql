CREATE TABLE `login_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`failures` integer NOT NULL,
	`window_start` integer NOT NULL,
	`last_failure_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE INDEX `login_throttle_last_failure_idx` ON `login_throttle` (`last_failure_at`);--> statement-breakpoint
ALTER TABLE `user` ADD `must_change_password` integer DEFAULT false NOT NULL;