#!/bin/sh
# Prisma's CLI insists on a native schema engine binary, which cannot be downloaded here.
# `generate`, `validate` and `format` only need the path to exist; migrations are applied by the app itself.
echo "no schema engine here: Covey applies its SQL migrations itself (pnpm db:migrate)" >&2
exit 1
