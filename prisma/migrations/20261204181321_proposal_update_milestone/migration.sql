-- AlterTable
ALTER TABLE "ProposalUpdate" ADD COLUMN     "milestone" TEXT NOT NULL DEFAULT '';
