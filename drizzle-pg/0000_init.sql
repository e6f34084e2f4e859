CREATE TABLE "establishment" (
	"id" text PRIMARY KEY NOT NULL,
	"finess" text NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"kind" text NOT NULL,
	"level" text DEFAULT 'legal_entity' NOT NULL,
	"legal_entity_id" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "establishment_finess_unique" UNIQUE("finess")
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"failures" integer NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"last_failure_at" timestamp (3) with time zone NOT NULL,
	"locked_until" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"user_id" text NOT NULL,
	"pathway_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "membership_user_id_pathway_id_role_pk" PRIMARY KEY("user_id","pathway_id","role")
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text,
	"title" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"rpps" text,
	"specialty" text,
	"sector" text NOT NULL,
	"establishment_id" text,
	"mssante_address" text,
	"is_admin" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp (3) with time zone,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"oidc_subject" text,
	"calendar_feed_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone,
	CONSTRAINT "user_email_unique" UNIQUE("email"),
	CONSTRAINT "user_rpps_unique" UNIQUE("rpps"),
	CONSTRAINT "user_oidcSubject_unique" UNIQUE("oidc_subject")
);
--> statement-breakpoint
CREATE TABLE "pathway_establishment" (
	"pathway_id" text NOT NULL,
	"establishment_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "pathway_establishment_pathway_id_establishment_id_pk" PRIMARY KEY("pathway_id","establishment_id")
);
--> statement-breakpoint
CREATE TABLE "pathway" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"quorum_rule" jsonb NOT NULL,
	"submission_deadline_hours" integer DEFAULT 48 NOT NULL,
	"freshness_days" integer DEFAULT 90 NOT NULL,
	"default_duration_minutes" integer DEFAULT 90 NOT NULL,
	"default_case_minutes" integer DEFAULT 10 NOT NULL,
	"presence_grace_seconds" integer DEFAULT 120 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"area" text DEFAULT 'oncology_organ' NOT NULL,
	"rcp_type" text DEFAULT 'standard' NOT NULL,
	"recours_category" text,
	"organ" text,
	"cell_therapy_authorised" boolean DEFAULT false NOT NULL,
	"clinical_form" text DEFAULT 'oncology_organ' NOT NULL,
	"archived_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "pathway_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"user_id" text,
	"invitation_id" text,
	"identity" text NOT NULL,
	"display_name" text NOT NULL,
	"specialty" text,
	"joined_at" timestamp (3) with time zone NOT NULL,
	"left_at" timestamp (3) with time zone,
	"grace_until" timestamp (3) with time zone,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitation_reminder" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"invitee_key" text NOT NULL,
	"invitation_id" text,
	"stage" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text,
	"series_id" text,
	"user_id" text,
	"guest_name" text,
	"guest_rpps" text,
	"guest_email" text,
	"case_id" text,
	"token_hash" text,
	"token_nonce" text,
	"reply" text DEFAULT 'pending' NOT NULL,
	"replied_at" timestamp (3) with time zone,
	"sent_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"mailed_until" timestamp (3) with time zone,
	"created_by" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "invitation_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "meeting_series" (
	"id" text PRIMARY KEY NOT NULL,
	"pathway_id" text NOT NULL,
	"frequency" text NOT NULL,
	"weekday" integer NOT NULL,
	"nth_week" integer,
	"start_date" text NOT NULL,
	"local_start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"place" text NOT NULL,
	"video_offered" boolean DEFAULT true NOT NULL,
	"chair_id" text,
	"until_date" text,
	"count" integer,
	"skip_holidays" boolean DEFAULT false NOT NULL,
	"ics_sequence" integer DEFAULT 0 NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"created_by" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting" (
	"id" text PRIMARY KEY NOT NULL,
	"pathway_id" text NOT NULL,
	"series_id" text,
	"occurrence_date" text,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cancel_reason" text,
	"chair_id" text,
	"deadline_at" timestamp (3) with time zone NOT NULL,
	"place" text NOT NULL,
	"video_offered" boolean DEFAULT true NOT NULL,
	"room_name" text,
	"current_case_id" text,
	"current_case_started_at" timestamp (3) with time zone,
	"ics_sequence" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "mail_message" (
	"id" text PRIMARY KEY NOT NULL,
	"to" text NOT NULL,
	"recipient_user_id" text,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kind" text NOT NULL,
	"message_id" text NOT NULL,
	"ics_uid" text,
	"ics_sequence" integer,
	"status" text NOT NULL,
	"error" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	CONSTRAINT "mail_message_messageId_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "patient" (
	"id" text PRIMARY KEY NOT NULL,
	"ins_matricule" text,
	"ins_oid" text,
	"birth_name" text NOT NULL,
	"first_names" jsonb NOT NULL,
	"used_name" text,
	"used_first_name" text,
	"sex" text NOT NULL,
	"birth_date" text NOT NULL,
	"birthplace_code" text,
	"identity_status" text DEFAULT 'provisional' NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone,
	CONSTRAINT "patient_insMatricule_unique" UNIQUE("ins_matricule")
);
--> statement-breakpoint
CREATE TABLE "case_event" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"meeting_id" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "case_reminder" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"meeting_id" text NOT NULL,
	"kind" text NOT NULL,
	"claim_key" text NOT NULL,
	"deadline_at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"missing" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rcp_case" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"pathway_id" text NOT NULL,
	"meeting_id" text,
	"requester_id" text NOT NULL,
	"referring_name" text,
	"referring_rpps" text,
	"referring_email" text,
	"gp_name" text,
	"gp_rpps" text,
	"gp_email" text,
	"question" text NOT NULL,
	"summary" text NOT NULL,
	"pathway_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"refusal_reason" text,
	"late_override_reason" text,
	"wants_next_meeting" boolean DEFAULT false NOT NULL,
	"agenda_position" integer,
	"estimated_minutes" integer,
	"presenter_id" text,
	"needed_specialties" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "document" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"stored_path" text NOT NULL,
	"document_date" text,
	"uploaded_by" text,
	"uploaded_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "written_opinion" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"author_id" text NOT NULL,
	"specialty" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "decision" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"meeting_id" text,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"proposal_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"draft_revision" integer DEFAULT 0 NOT NULL,
	"conformity" text,
	"justification" text,
	"trial_proposed" boolean DEFAULT false NOT NULL,
	"trial_name" text,
	"follow_up" text,
	"quorum_reached" boolean,
	"missing_specialties" jsonb,
	"attendees_snapshot" jsonb,
	"validated_by" text,
	"validated_at" timestamp (3) with time zone,
	"amends_id" text,
	"amend_reason" text,
	"updated_by" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone NOT NULL,
	"last_error" text,
	"remote_id" text,
	"cda_withheld" text,
	"claimed_by" text,
	"claimed_until" timestamp (3) with time zone,
	"delivered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "outbox_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"seq" integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY (sequence name "audit_event_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"at" timestamp (3) with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"patient_id" text,
	"ip" text,
	"detail" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "setting" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_event" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "specialty" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"category" text NOT NULL,
	"rpps_codes" jsonb NOT NULL,
	"counts_toward_quorum" boolean NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "establishment" ADD CONSTRAINT "establishment_legal_entity_id_establishment_id_fk" FOREIGN KEY ("legal_entity_id") REFERENCES "public"."establishment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."pathway"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_establishment_id_establishment_id_fk" FOREIGN KEY ("establishment_id") REFERENCES "public"."establishment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_establishment" ADD CONSTRAINT "pathway_establishment_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."pathway"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_establishment" ADD CONSTRAINT "pathway_establishment_establishment_id_establishment_id_fk" FOREIGN KEY ("establishment_id") REFERENCES "public"."establishment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_invitation_id_invitation_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_reminder" ADD CONSTRAINT "invitation_reminder_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_reminder" ADD CONSTRAINT "invitation_reminder_invitation_id_invitation_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_series_id_meeting_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."meeting_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."pathway"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_chair_id_user_id_fk" FOREIGN KEY ("chair_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."pathway"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_series_id_meeting_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."meeting_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_chair_id_user_id_fk" FOREIGN KEY ("chair_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_message" ADD CONSTRAINT "mail_message_recipient_user_id_user_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient" ADD CONSTRAINT "patient_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_case_id_rcp_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rcp_case"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_event" ADD CONSTRAINT "case_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reminder" ADD CONSTRAINT "case_reminder_case_id_rcp_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rcp_case"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reminder" ADD CONSTRAINT "case_reminder_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reminder" ADD CONSTRAINT "case_reminder_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rcp_case" ADD CONSTRAINT "rcp_case_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rcp_case" ADD CONSTRAINT "rcp_case_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."pathway"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rcp_case" ADD CONSTRAINT "rcp_case_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rcp_case" ADD CONSTRAINT "rcp_case_requester_id_user_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rcp_case" ADD CONSTRAINT "rcp_case_presenter_id_user_id_fk" FOREIGN KEY ("presenter_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_case_id_rcp_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rcp_case"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "written_opinion" ADD CONSTRAINT "written_opinion_case_id_rcp_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rcp_case"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "written_opinion" ADD CONSTRAINT "written_opinion_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_case_id_rcp_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."rcp_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_validated_by_user_id_fk" FOREIGN KEY ("validated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision" ADD CONSTRAINT "decision_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_decision_id_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_throttle_last_failure_idx" ON "login_throttle" USING btree ("last_failure_at");--> statement-breakpoint
CREATE INDEX "membership_pathway_idx" ON "membership" USING btree ("pathway_id");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "pathway_establishment_establishment_idx" ON "pathway_establishment" USING btree ("establishment_id");--> statement-breakpoint
CREATE INDEX "attendance_meeting_idx" ON "attendance" USING btree ("meeting_id","identity");--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_reminder_uq" ON "invitation_reminder" USING btree ("meeting_id","invitee_key","stage");--> statement-breakpoint
CREATE INDEX "invitation_meeting_idx" ON "invitation" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "invitation_series_idx" ON "invitation" USING btree ("series_id");--> statement-breakpoint
CREATE INDEX "invitation_user_idx" ON "invitation" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "meeting_pathway_starts_idx" ON "meeting" USING btree ("pathway_id","starts_at");--> statement-breakpoint
CREATE INDEX "meeting_starts_idx" ON "meeting" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_series_occurrence_uq" ON "meeting" USING btree ("series_id","occurrence_date");--> statement-breakpoint
CREATE INDEX "mail_created_idx" ON "mail_message" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "mail_recipient_idx" ON "mail_message" USING btree ("recipient_user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "patient_traits_idx" ON "patient" USING btree ("birth_name","birth_date");--> statement-breakpoint
CREATE INDEX "case_event_case_idx" ON "case_event" USING btree ("case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_reminder_claim_idx" ON "case_reminder" USING btree ("claim_key");--> statement-breakpoint
CREATE INDEX "case_reminder_case_idx" ON "case_reminder" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "case_pathway_status_idx" ON "rcp_case" USING btree ("pathway_id","status");--> statement-breakpoint
CREATE INDEX "case_meeting_position_idx" ON "rcp_case" USING btree ("meeting_id","agenda_position");--> statement-breakpoint
CREATE INDEX "case_requester_idx" ON "rcp_case" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "case_patient_idx" ON "rcp_case" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "document_case_idx" ON "document" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "written_opinion_case_idx" ON "written_opinion" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_case_version_uq" ON "decision" USING btree ("case_id","version");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_decision_idx" ON "outbox" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "audit_patient_idx" ON "audit_event" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_event" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_event" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_event" USING btree ("action");