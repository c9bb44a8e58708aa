-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "pendingReplies" JSONB;
