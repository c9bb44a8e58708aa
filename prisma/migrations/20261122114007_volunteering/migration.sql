-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "checkinCodeSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "hoursMinMinutes" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "hoursRoundMinutes" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Reminder" ADD COLUMN     "skippedReason" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "CheckIn_shiftId_idx" ON "CheckIn"("shiftId");

-- CreateIndex
CREATE INDEX "HoursEntry_projectId_status_idx" ON "HoursEntry"("projectId", "status");

-- CreateIndex
CREATE INDEX "HoursEntry_shiftId_idx" ON "HoursEntry"("shiftId");

-- CreateIndex
CREATE INDEX "HoursEntry_correctsId_idx" ON "HoursEntry"("correctsId");

-- The hours ledger (公益银行) is append-only, enforced here as well as in the code:
-- * a row is never deleted;
-- * the one change a row may undergo is its decision: pending → approved or rejected, setting who
--   decided and when; every other column stays as written (any other UPDATE raises);
-- * a correction is a new row whose "correctsId" points at an approved row of the same person.
CREATE FUNCTION "hours_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  corrected RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'HoursEntry % is part of the ledger and cannot be deleted: add a correcting entry instead', OLD.id;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW."correctsId" IS NOT NULL THEN
      EXECUTE format('SELECT "personId", status::text AS status FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO corrected USING NEW."correctsId";
      IF corrected IS NULL OR corrected."personId" <> NEW."personId" OR corrected.status <> 'approved' THEN
        RAISE EXCEPTION 'HoursEntry: a correction must point at an approved entry of the same person (correctsId %)', NEW."correctsId";
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'HoursEntry % is %: it cannot be changed, only corrected by a new entry', OLD.id, OLD.status;
  END IF;
  IF NEW.status NOT IN ('approved', 'rejected') THEN
    RAISE EXCEPTION 'HoursEntry %: a pending entry may only be approved or rejected', OLD.id;
  END IF;
  IF (NEW.id, NEW."personId", NEW."projectId", NEW."shiftId", NEW.hours, NEW.reason, NEW."correctsId", NEW."createdById", NEW."createdAt")
     IS DISTINCT FROM
     (OLD.id, OLD."personId", OLD."projectId", OLD."shiftId", OLD.hours, OLD.reason, OLD."correctsId", OLD."createdById", OLD."createdAt") THEN
    RAISE EXCEPTION 'HoursEntry %: only its decision (status, approvedById, approvedAt) may be written, once', OLD.id;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "HoursEntry_append_only"
  BEFORE INSERT OR UPDATE OR DELETE ON "HoursEntry"
  FOR EACH ROW EXECUTE FUNCTION "hours_entry_append_only"();
