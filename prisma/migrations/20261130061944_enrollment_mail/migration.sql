-- AlterTable
ALTER TABLE "enrollments" ADD COLUMN     "notified_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "enrollments_notified_at_idx" ON "enrollments"("notified_at");

-- Learners enrolled before this release were not told by mail, and are not told now.
UPDATE "enrollments" SET "notified_at" = now();
