-- CreateEnum
CREATE TYPE "SubstituteStatus" AS ENUM ('open', 'taken', 'withdrawn');

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "silentReleasesPlace" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "silentReportMinutes" INTEGER NOT NULL DEFAULT 120;

-- AlterTable
ALTER TABLE "SignUp" ADD COLUMN     "silentReportedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SubstituteRequest" (
    "id" SERIAL NOT NULL,
    "shiftId" INTEGER NOT NULL,
    "signUpId" INTEGER NOT NULL,
    "fromId" INTEGER NOT NULL,
    "status" "SubstituteStatus" NOT NULL DEFAULT 'open',
    "takenById" INTEGER,
    "takenAt" TIMESTAMP(3),
    "toGroupsAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubstituteRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SubstituteRequest_shiftId_status_idx" ON "SubstituteRequest"("shiftId", "status");

-- CreateIndex
CREATE INDEX "SubstituteRequest_signUpId_idx" ON "SubstituteRequest"("signUpId");

-- AddForeignKey
ALTER TABLE "SubstituteRequest" ADD CONSTRAINT "SubstituteRequest_shiftId_fkey" FOREIGN KEY ("shiftId") REFERENCES "Shift"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubstituteRequest" ADD CONSTRAINT "SubstituteRequest_signUpId_fkey" FOREIGN KEY ("signUpId") REFERENCES "SignUp"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubstituteRequest" ADD CONSTRAINT "SubstituteRequest_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubstituteRequest" ADD CONSTRAINT "SubstituteRequest_takenById_fkey" FOREIGN KEY ("takenById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
