-- Account deactivation (docs/back-office.md "Users"): a deactivated account cannot sign in, and its sessions and API
-- tokens stop working; `disabled_by` is the admin who deactivated it (null: the operator). Null `disabled_at`: active.
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_by" uuid;
