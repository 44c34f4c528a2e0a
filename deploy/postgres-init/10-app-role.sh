#!/bin/sh
# Run by the postgres image once, when it first creates its data directory: the role the app
# signs in as. Its rights come from `manage.py grant_app_role senco_app`, which docker-compose's
# migrate service runs, as the owner, after every migrate.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE senco_app LOGIN PASSWORD :'password';
SQL
