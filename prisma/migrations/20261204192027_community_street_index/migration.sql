-- CreateIndex
CREATE INDEX "Community_streetId_idx" ON "Community"("streetId");
