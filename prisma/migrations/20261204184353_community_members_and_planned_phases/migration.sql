-- AlterTable
ALTER TABLE "ProposalRound" DROP COLUMN "voterMaxPersonId",
ADD COLUMN     "closedPlannedAt" TIMESTAMP(3),
ADD COLUMN     "collectingPlannedAt" TIMESTAMP(3),
ADD COLUMN     "resultsPlannedAt" TIMESTAMP(3),
ADD COLUMN     "reviewingPlannedAt" TIMESTAMP(3),
ADD COLUMN     "trackingPlannedAt" TIMESTAMP(3),
ADD COLUMN     "voterMaxMemberId" INTEGER,
ADD COLUMN     "votingPlannedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CommunityMember" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "communityId" INTEGER NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommunityMember_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CommunityMember_personId_idx" ON "CommunityMember"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityMember_communityId_personId_key" ON "CommunityMember"("communityId", "personId");

-- AddForeignKey
ALTER TABLE "CommunityMember" ADD CONSTRAINT "CommunityMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityMember" ADD CONSTRAINT "CommunityMember_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: everyone who wrote in a bound group of a community (the messages the bot claimed), in
-- the order they were first seen, so member ids follow first sight.
INSERT INTO "CommunityMember" ("personId", "communityId", "firstSeenAt")
SELECT s."personId", s."communityId", s."firstSeenAt" FROM (
  SELECT i."personId", g."communityId", min(m."receivedAt") AS "firstSeenAt"
  FROM "InboundMessage" m
  JOIN "Group" g ON g.platform = m.platform AND g."externalId" = m."chatId"
  JOIN "Identity" i ON i.platform = m.platform AND i."externalId" = m."userId"
  WHERE g."communityId" IS NOT NULL
  GROUP BY 1, 2
) s
ORDER BY s."firstSeenAt", s."personId"
ON CONFLICT DO NOTHING;

-- Rounds whose vote has opened: the members first seen before it may vote, as before.
UPDATE "ProposalRound" r SET "voterMaxMemberId" = (
  SELECT COALESCE(max(cm.id), 0) FROM "CommunityMember" cm WHERE cm."firstSeenAt" <= r."votingAt"
) WHERE r."votingAt" IS NOT NULL;
