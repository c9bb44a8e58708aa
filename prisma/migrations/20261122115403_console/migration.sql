-- CreateTable
CREATE TABLE "ConsoleUser" (
    "id" SERIAL NOT NULL,
    "login" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "passwordChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleUser_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleUser_login_key" ON "ConsoleUser"("login");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleUser_personId_key" ON "ConsoleUser"("personId");

-- AddForeignKey
ALTER TABLE "ConsoleUser" ADD CONSTRAINT "ConsoleUser_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
