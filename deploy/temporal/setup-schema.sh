#!/bin/sh
# The temporal-schema job (temporalio/admin-tools): creates Temporal's two databases when they
# are missing and brings both schemas to the version this admin-tools release embeds. Safe to
# run at every `docker compose up` (each step is a no-op once done) and after changing the
# image tags to upgrade Temporal (one minor version at a time: README, Upgrading Temporal).
# `npm run proof` runs this same script with the same variables against the local cluster.
# temporal-sql-tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD itself.
set -eu
: "${SQL_HOST:?set SQL_HOST}"
: "${SQL_USER:?set SQL_USER}"
main_db=${TEMPORAL_DB:-temporal}
visibility_db=${TEMPORAL_VISIBILITY_DB:-temporal_visibility}

for pair in "${main_db}:temporal" "${visibility_db}:visibility"; do
  db=${pair%%:*}
  schema=${pair#*:}
  # A no-op when the database exists.
  temporal-sql-tool --db "$db" create-database
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-name "postgresql/v12/${schema}"
  echo "setup-schema: ${db} is up to date"
done
