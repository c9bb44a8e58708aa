-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "communityId" INTEGER;

-- AlterTable
ALTER TABLE "ProposalRound" ADD COLUMN     "streetId" INTEGER,
ALTER COLUMN "communityId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Street" ADD COLUMN     "roundSeq" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "ProposalRound_streetId_number_key" ON "ProposalRound"("streetId", "number");

-- AddForeignKey
ALTER TABLE "ProposalRound" ADD CONSTRAINT "ProposalRound_streetId_fkey" FOREIGN KEY ("streetId") REFERENCES "Street"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Proposals so far were made in their round's community. (A round has a community or a street,
-- never both: create-round sets one; a CHECK constraint here breaks the schema diff of migration:new.)
UPDATE "Proposal" p SET "communityId" = r."communityId" FROM "ProposalRound" r WHERE r.id = p."roundId";
