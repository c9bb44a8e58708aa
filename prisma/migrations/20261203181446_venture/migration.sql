-- CreateEnum
CREATE TYPE "RoundPhase" AS ENUM ('draft', 'collecting', 'reviewing', 'voting', 'results', 'tracking', 'closed');

-- CreateEnum
CREATE TYPE "BallotStyle" AS ENUM ('approval', 'knapsack');

-- AlterEnum
CREATE TYPE "ProposalStatus_new" AS ENUM ('submitted', 'approved', 'declined', 'winner');
ALTER TABLE "Proposal" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Proposal" ALTER COLUMN "status" TYPE "ProposalStatus_new" USING ("status"::text::"ProposalStatus_new");
ALTER TYPE "ProposalStatus" RENAME TO "ProposalStatus_old";
ALTER TYPE "ProposalStatus_new" RENAME TO "ProposalStatus";
DROP TYPE "ProposalStatus_old";
ALTER TABLE "Proposal" ALTER COLUMN "status" SET DEFAULT 'submitted';

-- DropIndex
DROP INDEX "Vote_roundId_personId_key";

-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "roundSeq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Proposal" DROP COLUMN "budgetFen",
ADD COLUMN     "grantFen" INTEGER,
ADD COLUMN     "progress" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "projectId" INTEGER,
ADD COLUMN     "requestedFen" INTEGER NOT NULL,
ADD COLUMN     "reviewReason" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" INTEGER,
ALTER COLUMN "status" SET DEFAULT 'submitted';

-- AlterTable
ALTER TABLE "ProposalRound" DROP COLUMN "closesAt",
DROP COLUMN "opensAt",
ADD COLUMN     "ballotStyle" "BallotStyle" NOT NULL DEFAULT 'approval',
ADD COLUMN     "budgetFen" INTEGER NOT NULL,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "collectingAt" TIMESTAMP(3),
ADD COLUMN     "createdById" INTEGER,
ADD COLUMN     "hiddenTallies" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "maxVotes" INTEGER,
ADD COLUMN     "minShare" DOUBLE PRECISION,
ADD COLUMN     "minVotes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "number" INTEGER NOT NULL,
ADD COLUMN     "phase" "RoundPhase" NOT NULL DEFAULT 'draft',
ADD COLUMN     "proposalSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resultsAt" TIMESTAMP(3),
ADD COLUMN     "reviewingAt" TIMESTAMP(3),
ADD COLUMN     "trackingAt" TIMESTAMP(3),
ADD COLUMN     "voterMaxPersonId" INTEGER,
ADD COLUMN     "votersSeenBefore" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "votingAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Ballot" (
    "roundId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "votes" INTEGER NOT NULL DEFAULT 0,
    "spentFen" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Ballot_pkey" PRIMARY KEY ("roundId","personId")
);

-- CreateTable
CREATE TABLE "ProposalUpdate" (
    "id" SERIAL NOT NULL,
    "proposalId" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProposalUpdate_proposalId_idx" ON "ProposalUpdate"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_projectId_key" ON "Proposal"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalRound_communityId_number_key" ON "ProposalRound"("communityId", "number");

-- CreateIndex
CREATE INDEX "Vote_roundId_proposalId_idx" ON "Vote"("roundId", "proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "Vote_roundId_personId_proposalId_key" ON "Vote"("roundId", "personId", "proposalId");

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "ProposalRound"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalUpdate" ADD CONSTRAINT "ProposalUpdate_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
