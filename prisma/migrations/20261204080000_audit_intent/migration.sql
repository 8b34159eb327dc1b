-- An action whose effect is outside the database (an operator's scheduler RPC) is written as an
-- "intent" row before it runs and an "ok"/"error" row after it, so it can never happen unrecorded.
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_outcome_check";
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_outcome_check" CHECK ("outcome" IN ('ok', 'denied', 'error', 'intent'));
