-- CreateTable
CREATE TABLE "people_imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "status" TEXT NOT NULL DEFAULT 'ready',
    "file_name" TEXT,
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "invite" BOOLEAN NOT NULL DEFAULT true,
    "actor" JSONB,
    "created_by_id" UUID,
    "client_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "people_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "people_import_rows" (
    "import_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "email" TEXT,
    "external_id" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "role" TEXT,
    "groups" TEXT[],
    "plan" TEXT NOT NULL,
    "result" TEXT,
    "code" TEXT,
    "message" TEXT,
    "changes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "user_id" UUID,

    CONSTRAINT "people_import_rows_pkey" PRIMARY KEY ("import_id","index")
);

-- CreateIndex
CREATE INDEX "people_imports_created_by_id_idx" ON "people_imports"("created_by_id");

-- CreateIndex
CREATE INDEX "people_imports_created_at_idx" ON "people_imports"("created_at");

-- AddForeignKey
ALTER TABLE "people_imports" ADD CONSTRAINT "people_imports_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "people_import_rows" ADD CONSTRAINT "people_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "people_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
