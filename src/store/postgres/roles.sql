-- concierge on PostgreSQL 15: roles (SPEC §7), run after schema.sql by the
-- same schema owner, in the same transaction (`concierge team init`).
--
-- Who is who:
-- * The schema owner: whoever ran these files (a superuser, or the
--   database's owner with CREATEROLE), and any role that is a member of it.
--   It may do everything, the change log's history included; it is what
--   `copy --to` and `team init` run as. No trigger here stops it.
-- * Four group roles, NOLOGIN, each a member of the one below and so
--   holding its rights: concierge_viewer < concierge_entry < concierge_pm
--   < concierge_admin. Roles are shared by every database of a cluster:
--   these four serve one team per cluster (a second concierge database on
--   the same cluster shares its members).
-- * Members: LOGIN roles, each granted exactly one group by the team
--   functions below. The actor of every change is the login
--   (`current_user`): the engine connects as the person and never uses
--   SET ROLE; writing while SET ROLE is in effect is refused, so nobody
--   writes under a group's name.
--
-- SPEC §7's table, and where each rule is enforced:
--
-- | role   | may                                    | enforced by
-- |--------|----------------------------------------|----------------------------
-- | viewer | read everything (every pane, review,   | GRANT SELECT on every table;
-- |        | export)                                | no write grant at all
-- | entry  | + entries (grid), check-ins,           | concierge_guard_row,
-- |        |   follow-ups                           | concierge_guard_entries
-- | pm     | + backlog items, customers, evidence,  | concierge_guard_row; deciding
-- |        |   reviews, status and stage moves;     | (status -> validated or
-- |        |   deciding a test                      | invalidated) is its own named
-- |        |                                        | rule, checked first
-- | admin  | + fields and their entries columns,    | concierge_guard_row and the
-- |        |   workspace settings (meta), members   | concierge_entries_* and
-- |        |   and roles; deleting any record (so   | concierge_team_* functions;
-- |        |   import --delete-missing); undoing    | concierge_guard_delete;
-- |        |   someone else's batch                 | concierge_guard_batch
-- | all    | act as themselves; append to the       | concierge_guard_batch,
-- |        | change log, never rewrite it           | concierge_guard_changes,
-- |        |                                        | concierge_append_only
--
-- Grants are the walls: a viewer holds SELECT only, so any write of a
-- viewer fails in PostgreSQL's own privilege check ("permission denied
-- for table ...", SQLSTATE 42501; the engine can say "your role viewer
-- cannot change anything" for it). Every writing role holds INSERT, UPDATE
-- and DELETE on every record table, and triggers owned by the schema owner
-- decide, each refusal a sentence the TUI can show as it is, with SQLSTATE
-- 42501 (insufficient_privilege) and a HINT naming the rule:
--     your role entry cannot decide H-4; a pm can
--     your role pm cannot delete C-3; an admin can
--     your role entry cannot undo batch 12 by bob; an admin can
-- A member cannot drop, disable or replace a trigger or function (that
-- needs ownership); session_replication_role, which would skip triggers,
-- is for superusers; TRUNCATE is never granted; every function resolves
-- tables with pg_temp last, so a temporary table cannot stand in for the
-- change log a check reads (and members may not create them anyway).
-- Creating and editing are checked row by row (a BEFORE trigger, which
-- names the record), except on entries, checked once per statement so a
-- million-row import pays for one check (measured: 300k entries inserted
-- as an entry login take the same time as into a plain table with the same
-- indexes and foreign key). Deleting is checked once per statement over
-- all the rows removed (an AFTER trigger with a transition table: 300k
-- entries in 0.7 s); a foreign key refusing first (23503) refuses too.
--
-- Deleting is admin-only, with one exception so that undo works for
-- everyone: a member may delete a record that one of their own batches
-- logged creating, when a later batch of theirs undoes that batch and
-- nobody else's batch has logged a change to the record since. A member
-- cannot fake that history: logging a record's creation that someone
-- else's batch already logged is refused. Undoing someone else's batch
-- needs admin (checked when the undo batch is written: `undoes`).
--
-- The change log (`batches`, `changes`) is append-only for everyone but
-- the schema owner: members hold INSERT only, and a trigger refuses UPDATE,
-- DELETE and TRUNCATE from anyone else all the same. A batch's `actor` must
-- be the login writing it, and change rows can only be added to one's own
-- batches. NOTE for the engine: SQLite's Writer::finish deletes a batch
-- that ended with no changes; on PostgreSQL it must not (that DELETE is
-- refused): roll back to a savepoint taken before the batch row instead
-- (or insert the batch row only once the first change is known).
-- Not enforced: that a member's record writes are logged at all, or
-- logged truthfully (field values); the engine always logs, and a raw
-- write stays within the role's rights either way.
--
-- What the engine calls:
-- * `concierge_my_role()` at open: 'viewer' | 'entry' | 'pm' | 'admin' |
--   'owner', or NULL for a login that is no member (refuse to open). The
--   UI uses it to say "your role entry cannot decide H-4; a pm can" before
--   even trying; the server says the same if it is tried anyway.
-- * `concierge_team_add(name, role [, password])`, `concierge_team_set(name,
--   role)`, `concierge_team_remove(name)`, and `SELECT * FROM team_members`
--   for `concierge team add|set|remove|list` (admins; the owner too).
-- * `concierge_entries_add_column(field id)`, `..._drop_column(field id)`,
--   `..._retype_column(field id)` where the SQLite store runs ALTER TABLE
--   entries itself (admins; members cannot ALTER a table they do not own).
-- * `concierge_sync_ids()` (schema.sql) after writing ids of its own.
-- * `LISTEN concierge` (schema.sql) for live refresh.

-- The four group roles, created unless the cluster has them already.
DO $$
DECLARE
    groups text[] := ARRAY['concierge_viewer', 'concierge_entry', 'concierge_pm', 'concierge_admin'];
BEGIN
    FOR i IN 1..4 LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = groups[i]) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', groups[i]);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another team init on this cluster made it just now
            END;
        END IF;
        IF i > 1 AND NOT pg_has_role(groups[i], groups[i - 1], 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', groups[i - 1], groups[i]);
            EXCEPTION WHEN unique_violation THEN
                NULL; -- granted by a concurrent team init
            END;
        END IF;
    END LOOP;
END
$$;

-- Only members reach this database, and nobody but the owner creates
-- objects in it (PostgreSQL 15's default for `public`, made explicit).
DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO concierge_viewer', current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO concierge_viewer;

-- The walls. SELECT on the id sequences lets a session read currval()
-- and last_value; drawing ids needs no grant (identity columns).
GRANT SELECT ON ALL TABLES IN SCHEMA public TO concierge_viewer;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO concierge_viewer;
GRANT INSERT, UPDATE, DELETE ON meta, fields, backlog_items, customers, checkins,
    evidence, followups, entries, reviews TO concierge_entry;
GRANT INSERT ON batches, changes TO concierge_entry;

-- Logins the team functions created (so `team remove` drops only those).
CREATE TABLE team_logins (
    login text COLLATE "C" PRIMARY KEY,
    added_by text COLLATE "C" NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON team_logins TO concierge_viewer;

-- ---------------------------------------------------------------------
-- Who may do what.

-- 5 owner, 4 admin, 3 pm, 2 entry, 1 viewer, 0 none.
CREATE FUNCTION concierge_rank(who name) RETURNS integer
    LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp
RETURN CASE
    WHEN pg_has_role(who, (SELECT relowner FROM pg_class WHERE oid = 'public.batches'::regclass), 'USAGE') THEN 5
    WHEN pg_has_role(who, 'concierge_admin', 'USAGE') THEN 4
    WHEN pg_has_role(who, 'concierge_pm', 'USAGE') THEN 3
    WHEN pg_has_role(who, 'concierge_entry', 'USAGE') THEN 2
    WHEN pg_has_role(who, 'concierge_viewer', 'USAGE') THEN 1
    ELSE 0
END;

CREATE FUNCTION concierge_rank_name(rank integer) RETURNS text
    LANGUAGE sql IMMUTABLE
RETURN (ARRAY['viewer', 'entry', 'pm', 'admin', 'owner'])[rank];

-- The acting login's role, for the UI: NULL when it is no member.
CREATE FUNCTION concierge_my_role() RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp
RETURN concierge_rank_name(concierge_rank(current_user));

-- Raises the refusal: "your role entry cannot decide H-4; a pm can".
CREATE FUNCTION concierge_refuse(what text, needed integer, rule text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    mine text := coalesce(concierge_rank_name(concierge_rank(current_user)), 'none');
    who text := concierge_rank_name(needed);
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = format('your role %s cannot %s; %s %s can', mine, what,
                         CASE WHEN who IN ('admin', 'entry', 'owner') THEN 'an' ELSE 'a' END, who),
        HINT = rule;
END
$$;

-- Writing under SET ROLE would record a group, not a person.
CREATE FUNCTION concierge_require_own_login() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF current_user <> session_user THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('write as yourself: %s is acting as %s (SET ROLE); concierge records the login as the actor',
                             session_user, current_user);
    END IF;
END
$$;

-- ---------------------------------------------------------------------
-- Creating and editing records, row by row (all tables but entries).

CREATE FUNCTION concierge_guard_row() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    rank integer := concierge_rank(current_user);
    needed integer;
    noun text;
    prefix text;
    key text;
BEGIN
    IF rank = 5 THEN
        RETURN NEW;
    END IF;
    PERFORM concierge_require_own_login();
    CASE TG_TABLE_NAME
        WHEN 'checkins' THEN needed := 2; prefix := 'K'; noun := 'check-ins';
        WHEN 'followups' THEN needed := 2; prefix := 'F'; noun := 'follow-ups';
        WHEN 'backlog_items' THEN needed := 3; prefix := 'H'; noun := 'backlog items';
        WHEN 'customers' THEN needed := 3; prefix := 'C'; noun := 'customers';
        WHEN 'evidence' THEN needed := 3; prefix := 'L'; noun := 'evidence links';
        WHEN 'reviews' THEN needed := 3; prefix := 'R'; noun := 'reviews';
        WHEN 'fields' THEN needed := 4; prefix := 'D'; noun := 'fields';
    END CASE;

    key := prefix || '-' || NEW.id;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id <> OLD.id THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = format('%s-%s cannot be renumbered: keys come from the server', prefix, OLD.id);
        END IF;
    END IF;

    -- Deciding a test is the approval step: pm and above, whatever else
    -- the role may write.
    IF TG_TABLE_NAME = 'backlog_items' AND rank < 3 THEN
        IF NEW.status IN ('validated', 'invalidated') THEN
            IF TG_OP = 'INSERT' THEN
                PERFORM concierge_refuse('decide ' || key, 3,
                    'deciding a test (validated or invalidated) is the approval step and needs pm');
            ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
                PERFORM concierge_refuse('decide ' || key, 3,
                    'deciding a test (validated or invalidated) is the approval step and needs pm');
            END IF;
        END IF;
    END IF;

    IF rank < needed THEN
        IF TG_OP = 'INSERT' THEN
            PERFORM concierge_refuse('create ' || key, needed,
                noun || ' are written by ' || concierge_rank_name(needed) || ' and above');
        END IF;
        -- (PL/pgSQL may evaluate both sides of AND: a table's own columns
        -- are read only inside its own branch.)
        IF TG_TABLE_NAME = 'backlog_items' THEN
            IF OLD.status IS DISTINCT FROM NEW.status THEN
                PERFORM concierge_refuse(format('move %s to %s', key, NEW.status), needed,
                    'status moves need pm');
            END IF;
        ELSIF TG_TABLE_NAME = 'customers' THEN
            IF OLD.stage IS DISTINCT FROM NEW.stage THEN
                PERFORM concierge_refuse(format('move %s to %s', key, NEW.stage), needed,
                    'stage moves need pm');
            END IF;
        END IF;
        PERFORM concierge_refuse('edit ' || key, needed,
            noun || ' are written by ' || concierge_rank_name(needed) || ' and above');
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER backlog_items_guard BEFORE INSERT OR UPDATE ON backlog_items
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER customers_guard BEFORE INSERT OR UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER checkins_guard BEFORE INSERT OR UPDATE ON checkins
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER followups_guard BEFORE INSERT OR UPDATE ON followups
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER evidence_guard BEFORE INSERT OR UPDATE ON evidence
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER reviews_guard BEFORE INSERT OR UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();
CREATE TRIGGER fields_guard BEFORE INSERT OR UPDATE ON fields
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_row();

-- Workspace settings (meta: the week's first day): admin.
CREATE FUNCTION concierge_guard_meta() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF concierge_rank(current_user) < 4 THEN
        PERFORM concierge_refuse('change workspace settings', 4, 'workspace settings need admin');
    END IF;
    PERFORM concierge_require_own_login();
    RETURN NULL;
END
$$;
CREATE TRIGGER meta_guard BEFORE INSERT OR UPDATE OR DELETE ON meta
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_meta();

-- ---------------------------------------------------------------------
-- Entries: checked per statement, not per row, so a million-row import
-- pays for one check. Every writing role may insert and update them.

CREATE FUNCTION concierge_guard_entries() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF concierge_rank(current_user) = 5 THEN
        RETURN NULL;
    END IF;
    PERFORM concierge_require_own_login();
    IF concierge_rank(current_user) < 2 THEN
        PERFORM concierge_refuse('enter live data', 2, 'live data is entered by entry and above');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER entries_guard BEFORE INSERT OR UPDATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_entries();

-- ---------------------------------------------------------------------
-- Deleting, per statement over all the rows it removed (an undo of a
-- large import deletes a million entries in a few statements): admin, or
-- undoing your own creation. A row passes when a batch of the acting
-- login logged its creation (its own `create` row, or a `*range` row
-- covering it), a later batch of theirs undoes that batch, and no batch
-- of anyone else has logged anything about the record since (the engine's
-- undo refuses then too, rather than lose their edit).
-- A creation cannot be claimed falsely: concierge_guard_changes refuses a
-- non-admin's `create` row for a record someone else's batch already
-- logged. (A record written with raw SQL and never logged has no history
-- to protect it; the engine always logs.)

CREATE FUNCTION concierge_guard_delete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    rank integer := concierge_rank(current_user);
    first bigint;
BEGIN
    IF rank >= 4 THEN
        RETURN NULL;
    END IF;
    PERFORM concierge_require_own_login();
    WITH undone AS (
        SELECT b.id FROM batches b
        JOIN batches u ON u.undoes = b.id AND u.actor = current_user::text
        WHERE b.actor = current_user::text
    ), own_ranges AS MATERIALIZED (
        SELECT c.record_id AS first, CASE WHEN c.field = '*range' THEN c.new::bigint END AS last
        FROM changes c JOIN undone ON undone.id = c.batch_id
        WHERE c.tbl = TG_TABLE_NAME AND c.field = '*range' AND c.op = 'create'
    ), foreign_ranges AS MATERIALIZED (
        SELECT c.record_id AS first, CASE WHEN c.field = '*range' THEN c.new::bigint END AS last
        FROM changes c JOIN batches b ON b.id = c.batch_id AND b.actor <> current_user::text
        WHERE c.tbl = TG_TABLE_NAME AND c.field = '*range'
    ), refused AS (
        SELECT g.id FROM gone g
        WHERE rank < 2
           OR (NOT EXISTS (SELECT 1 FROM own_ranges r WHERE g.id BETWEEN r.first AND r.last)
               AND NOT EXISTS (SELECT 1 FROM changes c JOIN undone ON undone.id = c.batch_id
                               WHERE c.tbl = TG_TABLE_NAME AND c.record_id = g.id AND c.op = 'create'))
        UNION ALL
        SELECT g.id FROM gone g
        JOIN changes c ON c.tbl = TG_TABLE_NAME AND c.record_id = g.id
        JOIN batches b ON b.id = c.batch_id AND b.actor <> current_user::text
        UNION ALL
        SELECT g.id FROM gone g JOIN foreign_ranges r ON g.id BETWEEN r.first AND r.last
    )
    SELECT min(id) INTO first FROM refused;
    IF first IS NOT NULL THEN
        PERFORM concierge_refuse(format('delete %s-%s',
            CASE TG_TABLE_NAME
                WHEN 'checkins' THEN 'K' WHEN 'followups' THEN 'F' WHEN 'backlog_items' THEN 'H'
                WHEN 'customers' THEN 'C' WHEN 'evidence' THEN 'L' WHEN 'reviews' THEN 'R'
                WHEN 'fields' THEN 'D' WHEN 'entries' THEN 'E' END, first), 4,
            'deleting records needs admin, except undoing your own batch that created them');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER backlog_items_guard_delete AFTER DELETE ON backlog_items
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER customers_guard_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER checkins_guard_delete AFTER DELETE ON checkins
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER followups_guard_delete AFTER DELETE ON followups
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER evidence_guard_delete AFTER DELETE ON evidence
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER reviews_guard_delete AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER fields_guard_delete AFTER DELETE ON fields
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();
CREATE TRIGGER entries_guard_delete AFTER DELETE ON entries
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_delete();

-- ---------------------------------------------------------------------
-- The change log.

-- A new batch: written by the login it names, and an undo of someone
-- else's batch only by an admin.
CREATE FUNCTION concierge_guard_batch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    rank integer := concierge_rank(current_user);
    theirs text;
BEGIN
    IF rank = 5 THEN
        RETURN NEW;
    END IF;
    PERFORM concierge_require_own_login();
    IF NEW.actor IS DISTINCT FROM current_user::text THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s cannot write a batch in the name of %s: the actor is always the login',
                             current_user, NEW.actor),
            HINT = 'batches.actor must equal current_user';
    END IF;
    IF NEW.undoes IS NOT NULL THEN
        SELECT actor INTO theirs FROM batches WHERE id = NEW.undoes;
        -- (A batch that does not exist is left to the foreign key.)
        IF FOUND AND theirs <> current_user::text AND rank < 4 THEN
            PERFORM concierge_refuse(format('undo batch %s by %s', NEW.undoes, theirs), 4,
                'undoing someone else''s batch needs admin');
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER batches_guard BEFORE INSERT ON batches
    FOR EACH ROW EXECUTE FUNCTION concierge_guard_batch();

-- Change rows go into the writer's own batches only.
CREATE FUNCTION concierge_guard_changes() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    IF concierge_rank(current_user) = 5 THEN
        RETURN NULL;
    END IF;
    PERFORM concierge_require_own_login();
    SELECT b.id, b.actor INTO bad
    FROM (SELECT DISTINCT batch_id FROM added) a JOIN batches b ON b.id = a.batch_id
    WHERE b.actor <> current_user::text
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s cannot add changes to batch %s: it is %s''s', current_user, bad.id, bad.actor),
            HINT = 'change rows go into your own batches only';
    END IF;
    -- Logging a record's creation is a claim undo relies on to let its
    -- creator delete it: a non-admin cannot claim a record that someone
    -- else's batch logged before (restoring a deleted record is logged as
    -- a create too, and is an admin's when the record was someone else's).
    IF concierge_rank(current_user) < 4 THEN
        SELECT a.tbl, a.record_id, o.batch_id, ob.actor INTO bad
        FROM added a
        JOIN LATERAL (
            SELECT c.batch_id FROM changes c
            WHERE c.tbl = a.tbl AND c.id < a.id
              AND c.record_id BETWEEN a.record_id
                  AND CASE WHEN a.field = '*range' THEN a.new::bigint ELSE a.record_id END
            UNION ALL
            SELECT c.batch_id FROM changes c
            WHERE c.tbl = a.tbl AND c.field = '*range' AND c.id < a.id
              AND c.record_id < a.record_id
              AND CASE WHEN c.field = '*range' THEN c.new::bigint >= a.record_id ELSE false END
        ) o ON true
        JOIN batches ob ON ob.id = o.batch_id AND ob.actor <> current_user::text
        WHERE a.op = 'create'
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION USING
                ERRCODE = 'insufficient_privilege',
                MESSAGE = format('%s cannot log the creation of %s #%s: batch %s by %s already logged it',
                                 current_user, bad.tbl, bad.record_id, bad.batch_id, bad.actor),
                HINT = 'a record''s creation is logged once, by whoever created it';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER changes_guard AFTER INSERT ON changes
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_guard_changes();

-- Append-only: no UPDATE, DELETE or TRUNCATE but the owner's.
CREATE FUNCTION concierge_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF concierge_rank(current_user) < 5 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('the change log is append-only: %s cannot %s %s (only the schema owner can)',
                             current_user, lower(TG_OP), TG_TABLE_NAME),
            HINT = 'undo writes a new batch instead of changing an old one';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER batches_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON batches
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_append_only();
CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION concierge_append_only();

-- ---------------------------------------------------------------------
-- Fields' columns in entries. A member cannot ALTER a table it does not
-- own, so these run as the owner (SECURITY DEFINER) and first check that
-- the caller (session_user: inside them current_user is the owner) is an
-- admin. The column's type follows the field's stored type, never the
-- caller's text.

CREATE FUNCTION concierge_field_sql_type(field_type text) RETURNS text
    LANGUAGE sql IMMUTABLE
RETURN CASE
    WHEN field_type IN ('integer', 'boolean') THEN 'bigint'
    WHEN field_type IN ('decimal', 'percent') THEN 'double precision'
    ELSE 'text COLLATE "C"'
END;

CREATE FUNCTION concierge_require_admin(what text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF concierge_rank(session_user) < 4 THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('your role %s cannot %s; an admin can',
                             coalesce(concierge_rank_name(concierge_rank(session_user)), 'none'), what);
    END IF;
END
$$;

CREATE FUNCTION concierge_entries_add_column(field_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    ty text;
BEGIN
    PERFORM concierge_require_admin('add field D-' || field_id);
    SELECT type INTO ty FROM fields WHERE id = field_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no field D-%', field_id USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('ALTER TABLE public.entries ADD COLUMN %I %s',
                   'f_' || field_id, concierge_field_sql_type(ty));
END
$$;

-- Refused while the column still holds values: clear them first, through
-- the change log, so the log keeps them.
CREATE FUNCTION concierge_entries_drop_column(field_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    used bigint;
BEGIN
    PERFORM concierge_require_admin('delete field D-' || field_id);
    EXECUTE format('SELECT count(*) FROM public.entries WHERE %I IS NOT NULL', 'f_' || field_id) INTO used;
    IF used > 0 THEN
        RAISE EXCEPTION 'field D-% still holds % values; clear them before dropping its column', field_id, used
            USING ERRCODE = 'object_in_use';
    END IF;
    EXECUTE format('ALTER TABLE public.entries DROP COLUMN %I', 'f_' || field_id);
END
$$;

-- After a type change (the store has checked every value converts).
CREATE FUNCTION concierge_entries_retype_column(field_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    ty text;
BEGIN
    PERFORM concierge_require_admin('change the type of field D-' || field_id);
    SELECT concierge_field_sql_type(type) INTO ty FROM fields WHERE id = field_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no field D-%', field_id USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('ALTER TABLE public.entries ALTER COLUMN %1$I TYPE %2$s USING %1$I::%3$s',
                   'f_' || field_id, ty, split_part(ty, ' COLLATE', 1));
END
$$;

-- ---------------------------------------------------------------------
-- The team: `concierge team add|set|remove|list`. Run as the owner, which
-- may create roles (CREATEROLE); callable by admins (and the owner).

CREATE FUNCTION concierge_group(role text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF role IN ('viewer', 'entry', 'pm', 'admin') THEN
        RETURN 'concierge_' || role;
    END IF;
    RAISE EXCEPTION 'there is no role "%": use viewer, entry, pm or admin', role
        USING ERRCODE = 'invalid_parameter_value';
END
$$;

-- The logins holding a concierge group directly, with their highest one.
CREATE VIEW team_members AS
SELECT m.rolname::text AS login,
       concierge_rank_name(max(CASE g.rolname
           WHEN 'concierge_admin' THEN 4 WHEN 'concierge_pm' THEN 3
           WHEN 'concierge_entry' THEN 2 ELSE 1 END)) AS role,
       bool_and(m.rolcanlogin) AS can_login,
       max(t.added_by) AS added_by,
       max(t.added_at) AS added_at
FROM pg_auth_members am
JOIN pg_roles g ON g.oid = am.roleid
    AND g.rolname IN ('concierge_viewer', 'concierge_entry', 'concierge_pm', 'concierge_admin')
JOIN pg_roles m ON m.oid = am.member
    AND m.rolname NOT IN ('concierge_viewer', 'concierge_entry', 'concierge_pm', 'concierge_admin')
LEFT JOIN team_logins t ON t.login = m.rolname
GROUP BY m.rolname;
GRANT SELECT ON team_members TO concierge_viewer;

-- Checks a member's name and that it is a role the team functions may
-- manage: a concierge member, not a superuser, not the owner.
CREATE FUNCTION concierge_team_target(login text, must_exist boolean) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    r pg_roles;
BEGIN
    IF login !~ '^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}$' THEN
        RAISE EXCEPTION '"%" is not a member name: use letters, digits, _ . @ - (at most 63)', login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO r FROM pg_roles WHERE rolname = login;
    IF NOT FOUND THEN
        IF must_exist THEN
            RAISE EXCEPTION '% is not a member of this team', login USING ERRCODE = 'undefined_object';
        END IF;
        RETURN;
    END IF;
    IF r.rolsuper OR login LIKE 'concierge\_%' OR concierge_rank(login::name) = 5 THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s is a database owner or superuser; the team functions do not manage it', login);
    END IF;
    IF must_exist AND NOT EXISTS (SELECT 1 FROM team_members WHERE team_members.login = r.rolname) THEN
        RAISE EXCEPTION '% is not a member of this team', login USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT must_exist THEN
        IF EXISTS (SELECT 1 FROM team_members WHERE team_members.login = r.rolname) THEN
            RAISE EXCEPTION '% is already a member; use team set to change the role', login
                USING ERRCODE = 'duplicate_object';
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'duplicate_object',
            MESSAGE = format('a database role %s already exists and is not a member; the database owner can run GRANT concierge_<role> TO %I', login, login);
    END IF;
END
$$;

-- Refuses to leave the team without an admin login.
CREATE FUNCTION concierge_keep_an_admin(login text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM team_members WHERE team_members.login = concierge_keep_an_admin.login AND role = 'admin')
       AND NOT EXISTS (SELECT 1 FROM team_members
                       WHERE team_members.login <> concierge_keep_an_admin.login AND role = 'admin' AND can_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s is the last admin; make someone else admin first', login);
    END IF;
END
$$;

CREATE FUNCTION concierge_team_add(login text, role text, password text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    PERFORM concierge_require_admin('add members');
    PERFORM concierge_team_target(login, false);
    IF password IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', login);
    ELSE
        -- Plain text or a SCRAM verifier ('SCRAM-SHA-256$...'), which
        -- keeps the password itself off the server.
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', login, password);
    END IF;
    EXECUTE format('GRANT %I TO %I', concierge_group(role), login);
    INSERT INTO team_logins (login, added_by) VALUES (login, session_user);
END
$$;

CREATE FUNCTION concierge_team_set(login text, role text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    g text;
    target text := concierge_group(role);
BEGIN
    PERFORM concierge_require_admin('change members'' roles');
    PERFORM concierge_team_target(login, true);
    IF role <> 'admin' THEN
        PERFORM concierge_keep_an_admin(login);
    END IF;
    FOREACH g IN ARRAY ARRAY['concierge_viewer', 'concierge_entry', 'concierge_pm', 'concierge_admin'] LOOP
        IF g <> target THEN
            EXECUTE format('REVOKE %I FROM %I', g, login);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', target, login);
END
$$;

-- Revokes the member's group; drops the login too when the team created
-- it and nothing else in the cluster depends on it (its history stays:
-- actors are names in the change log).
CREATE FUNCTION concierge_team_remove(login text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    g text;
BEGIN
    PERFORM concierge_require_admin('remove members');
    PERFORM concierge_team_target(login, true);
    PERFORM concierge_keep_an_admin(login);
    FOREACH g IN ARRAY ARRAY['concierge_viewer', 'concierge_entry', 'concierge_pm', 'concierge_admin'] LOOP
        EXECUTE format('REVOKE %I FROM %I', g, login);
    END LOOP;
    IF EXISTS (SELECT 1 FROM team_logins t WHERE t.login = concierge_team_remove.login) THEN
        DELETE FROM team_logins t WHERE t.login = concierge_team_remove.login;
        BEGIN
            EXECUTE format('DROP ROLE %I', login);
            RETURN 'removed; login dropped';
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RETURN 'removed; login kept (other objects in the cluster depend on it)';
        END;
    END IF;
    RETURN 'removed; login kept (it was not created by concierge team add)';
END
$$;

-- concierge's functions are for members only (those that change anything
-- check the caller's role themselves). pg_trgm's are left as they come.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'concierge\_%' LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO concierge_viewer', f);
    END LOOP;
END
$$;
