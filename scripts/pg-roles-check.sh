#!/usr/bin/env bash
# Checks, with psql alone, that the server enforces SPEC §7's roles: for
# each role, each action it may not take is refused by PostgreSQL when
# tried directly as that login (and a few it may take succeed), with the
# message the TUI would show.
#
#   scripts/pg-roles-check.sh            one PASS/FAIL line per case
#
# It starts a throw-away cluster (scripts/pg-throwaway.sh, removed at the
# end whatever happens), loads src/store/postgres/schema.sql and roles.sql
# as a schema owner that is *not* a superuser (the database's owner with
# CREATEROLE, as a real team server would have), adds one login per role
# through the team functions, writes a small fixture as the owner, then
# tries each case in a transaction that it rolls back, so every case sees
# the same fixture. Exits non-zero when any case fails.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
sql="$repo/src/store/postgres"

out="$("$here/pg-throwaway.sh" start --fast)" || exit 1
url="$(head -n 1 <<<"$out")"
dir="${url#*host=}"
trap '"$here/pg-throwaway.sh" stop "$dir"' EXIT

psql_bin="$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)"
super="$(id -un)"
pass=0
fail=0

# psql as LOGIN on the concierge database, stopping at the first error,
# errors with their SQLSTATE ("ERROR:  42501: your role ...").
as() {
    local login="$1"
    shift
    "$psql_bin" -X -q -h "$dir" -U "$login" -d concierge -v ON_ERROR_STOP=1 \
        -v VERBOSITY=verbose "$@"
}

# Runs SQL as LOGIN inside BEGIN ... ROLLBACK; prints its output.
attempt() {
    local login="$1" body="$2"
    printf 'BEGIN;\n%s\nROLLBACK;\n' "$body" | as "$login" -f - 2>&1
}

report() {
    local ok="$1" name="$2" detail="$3"
    if ((ok)); then
        pass=$((pass + 1))
        printf 'PASS  %s\n' "$name"
    else
        fail=$((fail + 1))
        printf 'FAIL  %s\n      %s\n' "$name" "$(tr '\n' ' ' <<<"$detail")"
    fi
}

# may LOGIN NAME SQL [EXPECTED-OUTPUT-PART]
may() {
    local login="$1" name="$2" body="$3" want="${4:-}" got
    got="$(attempt "$login" "$body")"
    local code=$?
    if ((code == 0)) && [[ -z "$want" || "$got" == *"$want"* ]]; then
        report 1 "$login may $name" ""
    else
        report 0 "$login may $name" "exit $code: $got"
    fi
}

# mayNot LOGIN NAME SQL MESSAGE: refused with SQLSTATE 42501 and MESSAGE
# (or another SQLSTATE given as "XXXXX: message").
mayNot() {
    local login="$1" name="$2" body="$3" want="$4" got
    [[ "$want" =~ ^[0-9A-Z]{5}: ]] || want="42501: $want"
    got="$(attempt "$login" "$body")"
    local code=$?
    if ((code != 0)) && [[ "$got" == *"ERROR:  $want"* ]]; then
        report 1 "$login may not $name" ""
    else
        report 0 "$login may not $name" "exit $code, wanted 'ERROR:  $want', got: $got"
    fi
}

# --- Setup: a non-superuser schema owner loads the schema and the roles.
as "$super" -d postgres -c "CREATE ROLE concierge_owner LOGIN CREATEROLE" \
    -c "ALTER DATABASE concierge OWNER TO concierge_owner" >/dev/null || exit 1
as concierge_owner -1 -f "$sql/schema.sql" -f "$sql/roles.sql" >/dev/null || {
    echo "FAIL  loading schema.sql and roles.sql"
    exit 1
}

as concierge_owner >/dev/null <<'SQL' || { echo "FAIL  writing the fixture"; exit 1; }
SELECT concierge_team_add('vera', 'viewer');
SELECT concierge_team_add('eddie', 'entry');
SELECT concierge_team_add('bob', 'entry');
SELECT concierge_team_add('pam', 'pm');
SELECT concierge_team_add('ada', 'admin');
BEGIN;
-- Batch 1: olga's (the owner writes it on her behalf, as `copy --to` would).
INSERT INTO batches (actor, at, label) VALUES ('olga', '2026-12-01T09:00:00Z', 'fixture');
INSERT INTO fields (key, label, type, created_at, updated_at)
    VALUES ('hours_saved', 'Hours saved', 'decimal', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
SELECT concierge_entries_add_column(1);
INSERT INTO customers (name, stage, created_at, updated_at)
    VALUES ('Acme Builders', 'onboarding', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
-- H-1: testing, with learning and decision filled in: one key from decided.
INSERT INTO backlog_items (kind, statement, test, criterion, status, status_since, learning,
                           decision, created_at, updated_at)
    VALUES ('hypothesis', 'We believe that foremen log hours daily', 'Ask 5 foremen',
            'We are right if 3 of 5 do', 'testing', '2026-12-01', 'We observed ...', 'persevere',
            '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
-- C-2: nothing refers to it.
INSERT INTO customers (name, created_at, updated_at)
    VALUES ('Bolt & Beam', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
INSERT INTO checkins (customer_id, occurred_on, kind, summary, notes, created_at, updated_at)
    VALUES (1, '2026-12-01', 'call', 'Kick-off', 'Talked about the Kelvin scale',
            '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
INSERT INTO evidence (item_id, checkin_id, stance, strength, created_at, updated_at)
    VALUES (1, 1, 'supports', 'said', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
INSERT INTO followups (customer_id, checkin_id, text, created_at, updated_at)
    VALUES (1, 1, 'Send the template', '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z');
INSERT INTO entries (customer_id, recorded_on, created_at, updated_at, f_1)
    VALUES (1, '2026-12-01', 1764579600, 1764579600, 2.5);
INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
SELECT 1, t, 1, 'create', '*', '[]', 't', 1
FROM unnest(ARRAY['fields', 'customers', 'backlog_items', 'checkins', 'evidence', 'followups', 'entries']) t;
INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
    VALUES (1, 'customers', 2, 'create', '*', '[]', 't', 1);
-- Batch 2: bob's, creating follow-up F-2.
INSERT INTO batches (actor, at, label) VALUES ('bob', '2026-12-02T09:00:00Z', 'add follow-up');
INSERT INTO followups (customer_id, text, created_at, updated_at)
    VALUES (1, 'Call back', '2026-12-02T09:00:00Z', '2026-12-02T09:00:00Z');
INSERT INTO changes (batch_id, tbl, record_id, op, field, old, old_type, new, new_type, rev)
    VALUES (2, 'followups', 2, 'create', 'text', NULL, NULL, 'Call back', 't', 1);
-- Batch 3: eddie's, creating check-in K-2; batch 4: bob's, editing it.
INSERT INTO batches (actor, at, label) VALUES ('eddie', '2026-12-02T10:00:00Z', 'log check-in');
INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
    VALUES (1, '2026-12-02', 'email', 'Sent the sheet', '2026-12-02T10:00:00Z', '2026-12-02T10:00:00Z');
INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
    VALUES (3, 'checkins', 2, 'create', 'summary', 'Sent the sheet', 't', 1);
INSERT INTO batches (actor, at, label) VALUES ('bob', '2026-12-02T11:00:00Z', 'edit check-in');
UPDATE checkins SET summary = 'Sent the sheet twice', rev = 2 WHERE id = 2;
INSERT INTO changes (batch_id, tbl, record_id, op, field, old, old_type, new, new_type, rev)
    VALUES (4, 'checkins', 2, 'update', 'summary', 'Sent the sheet', 't', 'Sent the sheet twice', 't', 2);
COMMIT;
SQL

# A batch of the acting login's own, as the engine's Writer::begin writes it.
batch="INSERT INTO batches (actor, at, label) VALUES (current_user, '2026-12-03T09:00:00Z', 'case');"
decide="UPDATE backlog_items SET status = 'validated', decided_at = '2026-12-03' WHERE id = 1;"

echo "== viewer (vera)"
may vera "read every table" "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM backlog_items)
    + (SELECT count(*) FROM checkins) + (SELECT count(*) FROM evidence) + (SELECT count(*) FROM followups)
    + (SELECT count(*) FROM entries) + (SELECT count(*) FROM fields) + (SELECT count(*) FROM reviews)
    + (SELECT count(*) FROM meta) + (SELECT count(*) FROM batches) + (SELECT count(*) FROM changes) AS n;" " 25"
may vera "see her role" "SELECT concierge_my_role();" "viewer"
may vera "list the team" "SELECT login || ':' || role FROM team_members ORDER BY login;" "vera:viewer"
may vera "search notes by trigram" "SELECT id FROM checkins WHERE notes_folded LIKE '%kelvin%';" "1"
mayNot vera "start a batch" "$batch" "permission denied for table batches"
mayNot vera "log a check-in" "INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
    VALUES (1, '2026-12-03', 'call', 'x', 'now', 'now');" "permission denied for table checkins"
mayNot vera "edit live data" "UPDATE entries SET f_1 = 3 WHERE id = 1;" "permission denied for table entries"
mayNot vera "decide H-1" "$decide" "permission denied for table backlog_items"
mayNot vera "delete F-1" "DELETE FROM followups WHERE id = 1;" "permission denied for table followups"
mayNot vera "add members" "SELECT concierge_team_add('mallory', 'admin');" "your role viewer cannot add members; an admin can"
mayNot vera "create tables" "CREATE TABLE mine (x int);" "permission denied for schema public"

echo "== entry (eddie)"
# Temporary tables are refused to members (roles.sql); eddie gets them here
# only to show they cannot shadow the change log the checks read.
as concierge_owner -c "GRANT TEMPORARY ON DATABASE concierge TO eddie" >/dev/null || exit 1
mayNot bob "create temporary tables" "CREATE TEMP TABLE t (x int);" "permission denied to create temporary tables"
may eddie "log a check-in in his own batch" "$batch
    INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
        VALUES (1, '2026-12-03', 'call', 'Weekly', 'now', 'now') RETURNING 'K-' || id;
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        VALUES (currval(pg_get_serial_sequence('batches', 'id')), 'checkins',
                currval(pg_get_serial_sequence('checkins', 'id')), 'create', 'summary', 'Weekly', 't', 1);" "K-3"
may eddie "edit a check-in" "UPDATE checkins SET summary = 'Kick-off call', rev = rev + 1 WHERE id = 1;"
may eddie "add and close follow-ups" "INSERT INTO followups (customer_id, text, created_at, updated_at)
    VALUES (1, 'x', 'now', 'now'); UPDATE followups SET done_at = '2026-12-03' WHERE id = 1;"
may eddie "enter and edit live data" "INSERT INTO entries (customer_id, recorded_on, created_at, updated_at, f_1)
    VALUES (1, '2026-12-02', 0, 0, 1.5); UPDATE entries SET f_1 = 3 WHERE id = 1;"
may eddie "undo his own batch that created a check-in" "INSERT INTO batches (actor, at, label)
        VALUES (current_user, 'now', 'log') RETURNING id AS b \\gset
    INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
        VALUES (1, '2026-12-03', 'call', 'Oops', 'now', 'now') RETURNING id AS k \\gset
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        VALUES (:b, 'checkins', :k, 'create', '*', '[[\"summary\",\"Oops\"]]', 't', 1);
    INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', :b);
    DELETE FROM checkins WHERE id = :k;"
may eddie "undo his own import of entries (a range row)" "INSERT INTO batches (actor, at, label)
        VALUES (current_user, 'now', 'import') RETURNING id AS b \\gset
    INSERT INTO entries (customer_id, recorded_on, created_at, updated_at)
        SELECT 1, '2027-01-0' || d, 0, 0 FROM generate_series(1, 3) d;
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        SELECT :b, 'entries', min(id), 'create', '*range', max(id)::text, 'i', 1
        FROM entries WHERE recorded_on LIKE '2027-%';
    INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', :b);
    DELETE FROM entries WHERE recorded_on LIKE '2027-%' RETURNING 'gone E-' || id;" "gone E-"
mayNot eddie "decide H-1" "$decide" "your role entry cannot decide H-1; a pm can"
mayNot eddie "create a decided item" "INSERT INTO backlog_items (kind, statement, status, status_since, created_at, updated_at)
    VALUES ('risk', 'x', 'invalidated', 'now', 'now', 'now');" "your role entry cannot decide H-"
mayNot eddie "move H-1 to parked" "UPDATE backlog_items SET status = 'parked' WHERE id = 1;" "your role entry cannot move H-1 to parked; a pm can"
mayNot eddie "create backlog items" "INSERT INTO backlog_items (kind, statement, status_since, created_at, updated_at)
    VALUES ('risk', 'x', 'now', 'now', 'now');" "your role entry cannot create H-"
mayNot eddie "edit customers" "UPDATE customers SET notes = 'x' WHERE id = 1;" "your role entry cannot edit C-1; a pm can"
mayNot eddie "move a customer's stage" "UPDATE customers SET stage = 'active' WHERE id = 1;" "your role entry cannot move C-1 to active; a pm can"
mayNot eddie "link evidence" "INSERT INTO evidence (item_id, checkin_id, stance, strength, created_at, updated_at)
    VALUES (1, 1, 'refutes', 'did', 'now', 'now');" "your role entry cannot create L-"
mayNot eddie "record a review" "INSERT INTO reviews (week, held_at, created_at, updated_at)
    VALUES ('2026-W49', 'now', 'now', 'now');" "your role entry cannot create R-"
mayNot eddie "delete K-1" "DELETE FROM evidence WHERE id = 1; DELETE FROM checkins WHERE id = 1;" "your role entry cannot delete L-1; an admin can"
mayNot eddie "delete a follow-up he did not create" "DELETE FROM followups WHERE id = 1;" "your role entry cannot delete F-1; an admin can"
mayNot eddie "delete his own check-in without undoing its batch" "$batch
    INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
        VALUES (1, '2026-12-03', 'call', 'Mine', 'now', 'now');
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        VALUES (currval(pg_get_serial_sequence('batches', 'id')), 'checkins',
                currval(pg_get_serial_sequence('checkins', 'id')), 'create', 'summary', 'Mine', 't', 1);
    DELETE FROM checkins WHERE id = currval(pg_get_serial_sequence('checkins', 'id'));" "your role entry cannot delete K-"
mayNot eddie "claim K-1's creation to delete it by undo" "INSERT INTO batches (actor, at, label)
        VALUES (current_user, 'now', 'forged') RETURNING id AS b \\gset
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        VALUES (:b, 'checkins', 1, 'create', 'summary', 'Kick-off', 't', 1);" "eddie cannot log the creation of checkins #1: batch 1 by olga already logged it"
mayNot eddie "claim entries' creation in a range row" "INSERT INTO batches (actor, at, label)
        VALUES (current_user, 'now', 'forged') RETURNING id AS b \\gset
    INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
        VALUES (:b, 'entries', 1, 'create', '*range', '5', 'i', 1);" "eddie cannot log the creation of entries #1: batch 1 by olga"
mayNot eddie "delete K-1 through temp tables shadowing the change log" "CREATE TEMP TABLE batches AS SELECT * FROM public.batches;
    CREATE TEMP TABLE changes AS SELECT * FROM public.changes;
    INSERT INTO pg_temp.batches VALUES (100, 'eddie', 'now', 'mine', NULL), (101, 'eddie', 'now', 'undo', 100);
    INSERT INTO pg_temp.changes (id, batch_id, tbl, record_id, op, field, rev)
        VALUES (100, 100, 'followups', 1, 'create', 'text', 1);
    DELETE FROM followups WHERE id = 1;" "your role entry cannot delete F-1; an admin can"
mayNot eddie "undo bob's batch through a temp table shadowing batches" "CREATE TEMP TABLE batches AS SELECT * FROM public.batches;
    UPDATE pg_temp.batches SET actor = 'eddie';
    INSERT INTO public.batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 2);" "your role entry cannot undo batch 2 by bob; an admin can"
mayNot eddie "undo his check-in's creation after bob edited it" "INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 3);
    DELETE FROM checkins WHERE id = 2;" "your role entry cannot delete K-2; an admin can"
mayNot eddie "delete live data (E-1)" "DELETE FROM entries WHERE id = 1;" "your role entry cannot delete E-1; an admin can"
mayNot eddie "write a batch in bob's name" "INSERT INTO batches (actor, at, label) VALUES ('bob', 'now', 'x');" "eddie cannot write a batch in the name of bob"
mayNot eddie "add changes to bob's batch" "INSERT INTO changes (batch_id, tbl, record_id, op, field, new, new_type, rev)
    VALUES (2, 'followups', 2, 'update', 'text', 'y', 't', 2);" "eddie cannot add changes to batch 2: it is bob's"
mayNot eddie "undo bob's batch" "INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 2);" "your role entry cannot undo batch 2 by bob; an admin can"
mayNot eddie "undo bob's batch and delete what it created" "INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 2);
    DELETE FROM followups WHERE id = 2;" "your role entry cannot undo batch 2 by bob"
mayNot eddie "write under SET ROLE (as the group)" "SET ROLE concierge_entry;
    INSERT INTO batches (actor, at, label) VALUES ('concierge_entry', 'now', 'x');" "write as yourself: eddie is acting as concierge_entry"
mayNot eddie "rewrite the change log" "UPDATE batches SET label = 'x' WHERE id = 2;" "permission denied for table batches"
mayNot eddie "delete change rows" "DELETE FROM changes;" "permission denied for table changes"
mayNot eddie "truncate the change log" "TRUNCATE changes;" "permission denied for table changes"
mayNot eddie "set the week's first day" "INSERT INTO meta (key, value) VALUES ('week_start', 'sunday');" "your role entry cannot change workspace settings; an admin can"
mayNot eddie "add fields" "INSERT INTO fields (key, label, type, created_at, updated_at) VALUES ('k', 'K', 'text', 'now', 'now');" "your role entry cannot create D-"
mayNot eddie "add an entries column" "SELECT concierge_entries_add_column(1);" "your role entry cannot add field D-1; an admin can"
mayNot eddie "change roles" "SELECT concierge_team_set('eddie', 'admin');" "your role entry cannot change members' roles; an admin can"

echo "== pm (pam)"
may pam "decide H-1" "$decide"
may pam "create backlog items and move them" "INSERT INTO backlog_items (kind, statement, status_since, created_at, updated_at)
    VALUES ('risk', 'x', 'now', 'now', 'now'); UPDATE backlog_items SET status = 'parked' WHERE id = 1;"
may pam "edit customers and move stages" "UPDATE customers SET stage = 'active', agreement_signed_on = '2026-12-01' WHERE id = 1;"
may pam "link evidence" "INSERT INTO evidence (item_id, checkin_id, stance, strength, created_at, updated_at)
    VALUES (1, 1, 'refutes', 'did', 'now', 'now');"
may pam "record a review" "INSERT INTO reviews (week, held_at, created_at, updated_at) VALUES ('2026-W49', 'now', 'now', 'now');"
may pam "log check-ins (entry's rights)" "INSERT INTO checkins (customer_id, occurred_on, kind, summary, created_at, updated_at)
    VALUES (1, '2026-12-03', 'visit', 'x', 'now', 'now');"
mayNot pam "delete C-2" "DELETE FROM customers WHERE id = 2;" "your role pm cannot delete C-2; an admin can"
mayNot pam "delete C-1 (its check-ins refer to it)" "DELETE FROM customers WHERE id = 1;" "23503: update or delete on table \"customers\" violates foreign key"
mayNot pam "delete evidence L-1" "DELETE FROM evidence WHERE id = 1;" "your role pm cannot delete L-1; an admin can"
mayNot pam "delete an entry" "DELETE FROM entries;" "your role pm cannot delete E-1; an admin can"
mayNot pam "undo bob's batch" "INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 2);" "your role pm cannot undo batch 2 by bob; an admin can"
mayNot pam "edit fields" "UPDATE fields SET label = 'x' WHERE id = 1;" "your role pm cannot edit D-1; an admin can"
mayNot pam "add an entries column" "SELECT concierge_entries_add_column(1);" "your role pm cannot add field D-1; an admin can"
mayNot pam "alter entries directly" "ALTER TABLE entries ADD COLUMN f_9 text;" "must be owner of table entries"
mayNot pam "set the week's first day" "UPDATE meta SET value = 'x';" "your role pm cannot change workspace settings; an admin can"
mayNot pam "add members" "SELECT concierge_team_add('mallory', 'viewer');" "your role pm cannot add members; an admin can"
mayNot pam "delete batches" "DELETE FROM batches WHERE id = 2;" "permission denied for table batches"

echo "== admin (ada)"
may ada "delete records (C-1 with everything under it)" "DELETE FROM entries; DELETE FROM evidence; DELETE FROM followups;
    DELETE FROM checkins; DELETE FROM customers WHERE id = 1;"
may ada "undo bob's batch, deleting what it created" "INSERT INTO batches (actor, at, label, undoes) VALUES (current_user, 'now', 'undo', 2);
    DELETE FROM followups WHERE id = 2;"
may ada "add, retype and drop a field's column" "INSERT INTO fields (key, label, type, created_at, updated_at)
    VALUES ('visits', 'Visits', 'integer', 'now', 'now');
    SELECT concierge_entries_add_column(currval(pg_get_serial_sequence('fields', 'id')));
    UPDATE entries SET f_1 = 4 RETURNING 'f_1 set';
    SELECT 'f_' || currval(pg_get_serial_sequence('fields', 'id')) AS col \\gset
    UPDATE entries SET :col = 4;
    UPDATE fields SET type = 'decimal' WHERE id = currval(pg_get_serial_sequence('fields', 'id'));
    SELECT concierge_entries_retype_column(currval(pg_get_serial_sequence('fields', 'id')));
    SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'entries'::regclass AND attname = :'col';
    UPDATE entries SET :col = NULL;
    SELECT concierge_entries_drop_column(currval(pg_get_serial_sequence('fields', 'id')));" "double precision"
may ada "set the week's first day" "INSERT INTO meta (key, value) VALUES ('week_start', 'sunday');"
may ada "add, promote, list and remove a member" "SELECT concierge_team_add('carl', 'viewer', 'secret');
    SELECT concierge_team_set('carl', 'pm');
    SELECT login || ':' || role FROM team_members WHERE login = 'carl';
    SELECT concierge_team_remove('carl');" "carl:pm"
may ada "move the id sequences past kept ids" "INSERT INTO reviews (id, week, held_at, created_at, updated_at) VALUES (50, 'w', 'now', 'now', 'now');
    SELECT concierge_sync_ids();
    INSERT INTO reviews (week, held_at, created_at, updated_at) VALUES ('w', 'now', 'now', 'now') RETURNING 'R-' || id;" "R-51"
mayNot ada "drop a column that holds values" "SELECT concierge_entries_drop_column(1);" "55006: field D-1 still holds 1 values"
mayNot ada "rewrite the change log" "UPDATE batches SET actor = 'x';" "permission denied for table batches"
mayNot ada "truncate the change log" "TRUNCATE batches CASCADE;" "permission denied for table batches"
mayNot ada "write a batch in bob's name" "INSERT INTO batches (actor, at, label) VALUES ('bob', 'now', 'x');" "ada cannot write a batch in the name of bob"
mayNot ada "alter entries directly" "ALTER TABLE entries DROP COLUMN f_1;" "must be owner of table entries"
mayNot ada "demote the last admin" "SELECT concierge_team_set('ada', 'viewer');" "ada is the last admin"
mayNot ada "manage the schema owner" "SELECT concierge_team_set('concierge_owner', 'viewer');" "concierge_owner is a database owner or superuser"
mayNot ada "adopt an existing role" "SELECT concierge_team_add('$super', 'admin');" "42501: $super is a database owner or superuser"
mayNot ada "create tables" "CREATE TABLE mine (x int);" "permission denied for schema public"

echo "== owner (concierge_owner) and live refresh"
may concierge_owner "rewrite the change log (append-only for everyone else)" "UPDATE batches SET label = 'fixture (edited)' WHERE id = 1;"
notified="$(as eddie 2>&1 <<'SQL'
LISTEN concierge;
BEGIN;
INSERT INTO batches (actor, at, label) VALUES (current_user, 'now', 'notify') RETURNING id;
COMMIT;
SELECT 'after';
SQL
)"
if [[ "$notified" =~ Asynchronous\ notification\ \"concierge\"\ with\ payload\ \"([0-9]+)\" ]]; then
    report 1 "a committed batch sends NOTIFY concierge with its id (${BASH_REMATCH[1]})" ""
else
    report 0 "a committed batch sends NOTIFY concierge with its id" "$notified"
fi

# Keys come from the server: two members creating customers at the same
# time, 100 saves each, each its own transaction, never collide.
for who in pam ada; do
    for i in $(seq 1 100); do
        echo "INSERT INTO customers (name, created_at, updated_at) VALUES ('$who $i', 'now', 'now');"
    done | as "$who" >/dev/null 2>&1 &
done
wait
ids="$(as pam -t -A -c "SELECT count(*) || ' ' || count(DISTINCT id) FROM customers WHERE name ~ '^(pam|ada) '")"
if [[ "$ids" == "200 200" ]]; then
    report 1 "two members creating 100 customers each at once get 200 distinct keys" ""
else
    report 0 "two members creating 100 customers each at once get 200 distinct keys" "count, distinct: $ids"
fi

echo
echo "$pass passed, $fail failed"
((fail == 0))
