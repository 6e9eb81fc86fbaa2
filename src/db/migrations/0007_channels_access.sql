CREATE TABLE "channel_access" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"access_key_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
