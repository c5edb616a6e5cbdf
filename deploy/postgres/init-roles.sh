#!/bin/sh
# PostgreSQL's first start (docker-entrypoint-initdb.d): one role for the app and one for
# Temporal, neither a superuser. The app's role owns its database; Temporal's role may create
# databases, and the temporal-schema job creates its two with it. Runs once, on an empty data
# volume; `npm run proof` runs this same script against the local cluster.
# Needs POSTGRES_USER and POSTGRES_DB (the superuser's, as the image sets them), the names and
# the passwords: GATEHOUSE_DB_USER, GATEHOUSE_DB_NAME, GATEHOUSE_DB_PASSWORD,
# TEMPORAL_DB_USER, TEMPORAL_DB_PASSWORD.
set -eu
: "${GATEHOUSE_DB_PASSWORD:?set GATEHOUSE_DB_PASSWORD}"
: "${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER}" --dbname "${POSTGRES_DB}" \
  -v app_user="${GATEHOUSE_DB_USER:-gatehouse}" \
  -v app_db="${GATEHOUSE_DB_NAME:-gatehouse}" \
  -v app_password="${GATEHOUSE_DB_PASSWORD}" \
  -v temporal_user="${TEMPORAL_DB_USER:-temporal}" \
  -v temporal_password="${TEMPORAL_DB_PASSWORD}" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
-- Only the app's role (and the superuser) may connect to the app's data.
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
CREATE ROLE :"temporal_user" LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
echo "init-roles: created roles ${GATEHOUSE_DB_USER:-gatehouse} and ${TEMPORAL_DB_USER:-temporal}"
