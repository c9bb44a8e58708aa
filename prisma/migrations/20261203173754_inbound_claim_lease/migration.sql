-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "completedAt" TIMESTAMP(3);

-- Rows from before claims had a lease: their processing is long over, whatever became of it.
UPDATE "InboundMessage" SET "completedAt" = "receivedAt";
