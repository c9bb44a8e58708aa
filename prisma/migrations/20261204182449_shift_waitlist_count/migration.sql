-- AlterTable
ALTER TABLE "Shift" ADD COLUMN     "waitlistCount" INTEGER NOT NULL DEFAULT 0;

-- Shifts that already have a waitlist.
UPDATE "Shift" s SET "waitlistCount" = w.n
FROM (SELECT "shiftId", count(*)::int AS n FROM "SignUp" WHERE status = 'waitlisted' GROUP BY "shiftId") w
WHERE w."shiftId" = s.id;
