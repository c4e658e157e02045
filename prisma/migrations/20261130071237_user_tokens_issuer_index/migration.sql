-- CreateIndex
CREATE INDEX "user_tokens_created_by_id_idx" ON "user_tokens"("created_by_id");
