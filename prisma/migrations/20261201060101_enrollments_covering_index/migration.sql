-- The statistics of a subtree read its enrollments from this index alone (program, status, learner, progress and
-- completion): an index-only scan where the visibility map allows, instead of one heap visit per enrollment. It replaces
-- the (program_id, status) index, whose lookups it serves as well.
-- DropIndex
DROP INDEX "enrollments_program_id_status_idx";

-- CreateIndex
CREATE INDEX "enrollments_program_id_status_user_id_progress_completed_at_idx" ON "enrollments"("program_id", "status", "user_id", "progress", "completed_at");
