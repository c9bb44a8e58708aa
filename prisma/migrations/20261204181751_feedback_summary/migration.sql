-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "feedbackSummary" TEXT;
