CREATE TABLE `establishment` (
	`id` text PRIMARY KEY NOT NULL,
	`finess` text NOT NULL,
	`name` text NOT NULL,
	`city` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `establishment_finess_unique` ON `establishment` (`finess`);--> statement-breakpoint
CREATE TABLE `membership` (
	`user_id` text NOT NULL,
	`pathway_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `pathway_id`, `role`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathway`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `membership_pathway_idx` ON `membership` (`pathway_id`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` blob NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_user_idx` ON `session` (`user_id`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`title` text,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`rpps` text,
	`specialty` text,
	`sector` text NOT NULL,
	`establishment_id` text,
	`mssante_address` text,
	`is_admin` integer DEFAULT false NOT NULL,
	`disabled_at` integer,
	`oidc_subject` text,
	`calendar_feed_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`establishment_id`) REFERENCES `establishment`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_email_unique` ON `user` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `user_rpps_unique` ON `user` (`rpps`);--> statement-breakpoint
CREATE UNIQUE INDEX `user_oidcSubject_unique` ON `user` (`oidc_subject`);--> statement-breakpoint
CREATE TABLE `pathway` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`quorum_rule` text NOT NULL,
	`submission_deadline_hours` integer DEFAULT 48 NOT NULL,
	`freshness_days` integer DEFAULT 90 NOT NULL,
	`default_duration_minutes` integer DEFAULT 90 NOT NULL,
	`default_case_minutes` integer DEFAULT 10 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pathway_code_unique` ON `pathway` (`code`);--> statement-breakpoint
CREATE TABLE `attendance` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`user_id` text,
	`invitation_id` text,
	`identity` text NOT NULL,
	`display_name` text NOT NULL,
	`specialty` text,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	`source` text NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitation`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attendance_meeting_idx` ON `attendance` (`meeting_id`,`identity`);--> statement-breakpoint
CREATE TABLE `invitation` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text,
	`series_id` text,
	`user_id` text,
	`guest_name` text,
	`guest_rpps` text,
	`guest_email` text,
	`case_id` text,
	`token_hash` text,
	`reply` text DEFAULT 'pending' NOT NULL,
	`replied_at` integer,
	`sent_at` integer,
	`revoked_at` integer,
	`expires_at` integer,
	`mailed_until` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`series_id`) REFERENCES `meeting_series`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitation_tokenHash_unique` ON `invitation` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitation_meeting_idx` ON `invitation` (`meeting_id`);--> statement-breakpoint
CREATE INDEX `invitation_series_idx` ON `invitation` (`series_id`);--> statement-breakpoint
CREATE INDEX `invitation_user_idx` ON `invitation` (`user_id`);--> statement-breakpoint
CREATE TABLE `meeting_series` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`frequency` text NOT NULL,
	`weekday` integer NOT NULL,
	`nth_week` integer,
	`start_date` text NOT NULL,
	`local_start_time` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`place` text NOT NULL,
	`video_offered` integer DEFAULT true NOT NULL,
	`chair_id` text,
	`until_date` text,
	`count` integer,
	`ended_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathway`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`chair_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting` (
	`id` text PRIMARY KEY NOT NULL,
	`pathway_id` text NOT NULL,
	`series_id` text,
	`occurrence_date` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`cancel_reason` text,
	`chair_id` text,
	`deadline_at` integer NOT NULL,
	`place` text NOT NULL,
	`video_offered` integer DEFAULT true NOT NULL,
	`room_name` text,
	`current_case_id` text,
	`current_case_started_at` integer,
	`ics_sequence` integer DEFAULT 0 NOT NULL,
	`opened_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathway`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`series_id`) REFERENCES `meeting_series`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`chair_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_pathway_starts_idx` ON `meeting` (`pathway_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `meeting_starts_idx` ON `meeting` (`starts_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_series_occurrence_uq` ON `meeting` (`series_id`,`occurrence_date`);--> statement-breakpoint
CREATE TABLE `mail_message` (
	`id` text PRIMARY KEY NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text,
	`attachments` text DEFAULT '[]' NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`kind` text NOT NULL,
	`message_id` text NOT NULL,
	`ics_uid` text,
	`ics_sequence` integer,
	`status` text NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_message_messageId_unique` ON `mail_message` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_created_idx` ON `mail_message` (`created_at`);--> statement-breakpoint
CREATE TABLE `patient` (
	`id` text PRIMARY KEY NOT NULL,
	`ins_matricule` text,
	`ins_oid` text,
	`birth_name` text NOT NULL,
	`first_names` text NOT NULL,
	`used_name` text,
	`used_first_name` text,
	`sex` text NOT NULL,
	`birth_date` text NOT NULL,
	`birthplace_code` text,
	`identity_status` text DEFAULT 'provisional' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patient_insMatricule_unique` ON `patient` (`ins_matricule`);--> statement-breakpoint
CREATE INDEX `patient_traits_idx` ON `patient` (`birth_name`,`birth_date`);--> statement-breakpoint
CREATE TABLE `case_event` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`meeting_id` text,
	`note` text,
	FOREIGN KEY (`case_id`) REFERENCES `rcp_case`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_event_case_idx` ON `case_event` (`case_id`,`at`);--> statement-breakpoint
CREATE TABLE `rcp_case` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`pathway_id` text NOT NULL,
	`meeting_id` text,
	`requester_id` text NOT NULL,
	`referring_name` text,
	`referring_rpps` text,
	`referring_email` text,
	`gp_name` text,
	`gp_rpps` text,
	`gp_email` text,
	`question` text NOT NULL,
	`summary` text NOT NULL,
	`pathway_data` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`refusal_reason` text,
	`late_override_reason` text,
	`wants_next_meeting` integer DEFAULT false NOT NULL,
	`agenda_position` integer,
	`estimated_minutes` integer,
	`presenter_id` text,
	`needed_specialties` text DEFAULT '[]' NOT NULL,
	`submitted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patient`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathway`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requester_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`presenter_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_pathway_status_idx` ON `rcp_case` (`pathway_id`,`status`);--> statement-breakpoint
CREATE INDEX `case_meeting_position_idx` ON `rcp_case` (`meeting_id`,`agenda_position`);--> statement-breakpoint
CREATE INDEX `case_requester_idx` ON `rcp_case` (`requester_id`);--> statement-breakpoint
CREATE INDEX `case_patient_idx` ON `rcp_case` (`patient_id`);--> statement-breakpoint
CREATE TABLE `document` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`stored_path` text NOT NULL,
	`document_date` text,
	`uploaded_by` text,
	`uploaded_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `rcp_case`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `document_case_idx` ON `document` (`case_id`);--> statement-breakpoint
CREATE TABLE `written_opinion` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`author_id` text NOT NULL,
	`specialty` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`case_id`) REFERENCES `rcp_case`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `written_opinion_case_idx` ON `written_opinion` (`case_id`);--> statement-breakpoint
CREATE TABLE `decision` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`meeting_id` text,
	`version` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`proposal_types` text DEFAULT '[]' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`conformity` text,
	`justification` text,
	`trial_proposed` integer DEFAULT false NOT NULL,
	`trial_name` text,
	`follow_up` text,
	`quorum_reached` integer,
	`missing_specialties` text,
	`attendees_snapshot` text,
	`validated_by` text,
	`validated_at` integer,
	`amends_id` text,
	`amend_reason` text,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`case_id`) REFERENCES `rcp_case`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meeting_id`) REFERENCES `meeting`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`validated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decision_case_version_uq` ON `decision` (`case_id`,`version`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`decision_id` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`remote_id` text,
	`claimed_by` text,
	`claimed_until` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`decision_id`) REFERENCES `decision`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotencyKey_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_decision_idx` ON `outbox` (`decision_id`);--> statement-breakpoint
CREATE TABLE `audit_event` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`object_type` text,
	`object_id` text,
	`patient_id` text,
	`ip` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_patient_idx` ON `audit_event` (`patient_id`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_event` (`actor_id`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_event` (`at`);--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_event` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
