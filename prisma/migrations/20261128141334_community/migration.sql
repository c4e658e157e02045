-- AlterTable
ALTER TABLE "files" ADD COLUMN     "name" TEXT;

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "mailed_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "notifications_mailed_at_created_at_idx" ON "notifications"("mailed_at", "created_at");
