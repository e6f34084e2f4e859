CREATE TABLE "raised_hand" (
	"meeting_id" text NOT NULL,
	"participant_key" text NOT NULL,
	"name" text NOT NULL,
	"specialty" text,
	"case_id" text,
	"raised_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "raised_hand_meeting_id_participant_key_pk" PRIMARY KEY("meeting_id","participant_key")
);
--> statement-breakpoint
ALTER TABLE "raised_hand" ADD CONSTRAINT "raised_hand_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;