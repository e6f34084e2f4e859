CREATE TABLE `raised_hand` (
	`meeting_id` text NOT NULL,
	`participant_key` text NOT NULL,
	`name` text NOT NULL,
	`specialty` text,
	`case_id` text,
	`raised_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `participant_key`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE cascade
);
