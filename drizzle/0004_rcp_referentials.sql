CREATE TABLE `pathway_establishment` (
	`pathway_id` text NOT NULL,
	`establishment_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`pathway_id`, `establishment_id`),
	FOREIGN KEY (`pathway_id`) REFERENCES `pathway`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`establishment_id`) REFERENCES `establishment`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pathway_establishment_establishment_idx` ON `pathway_establishment` (`establishment_id`);--> statement-breakpoint
CREATE TABLE `specialty` (
	`code` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`category` text NOT NULL,
	`rpps_codes` text NOT NULL,
	`counts_toward_quorum` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
ALTER TABLE `establishment` ADD `level` text DEFAULT 'legal_entity' NOT NULL;--> statement-breakpoint
ALTER TABLE `establishment` ADD `legal_entity_id` text REFERENCES establishment(id);--> statement-breakpoint
ALTER TABLE `pathway` ADD `area` text DEFAULT 'oncology_organ' NOT NULL;--> statement-breakpoint
ALTER TABLE `pathway` ADD `rcp_type` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE `pathway` ADD `recours_category` text;--> statement-breakpoint
ALTER TABLE `pathway` ADD `organ` text;--> statement-breakpoint
ALTER TABLE `pathway` ADD `cell_therapy_authorised` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `pathway` ADD `clinical_form` text DEFAULT 'oncology_organ' NOT NULL;--> statement-breakpoint
ALTER TABLE `pathway` ADD `archived_at` integer;