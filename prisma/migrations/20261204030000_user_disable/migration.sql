-- A disabled user can neither sign in nor use a token, and their sessions end at once
-- (switchyard user disable). The row stays: the audit log names the user.
ALTER TABLE "users" ADD COLUMN "disabled_at" TIMESTAMPTZ(6);
