// The SQLite store's schema, as the migrations that build it: the database's `user_version` says
// how many have run.
#pragma once

namespace lightpath {

// Each entry moves the schema one version up; never edit a shipped one, add the next.
inline constexpr const char* kSqliteMigrations[] = {
    // 1: connections, holds, the event log.
    R"sql(
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX connections_by_tenant ON connections (tenant, id);
      CREATE TABLE holds (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE events (
        cursor INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        subject TEXT NOT NULL,
        tenant TEXT NOT NULL,
        at_us INTEGER NOT NULL,
        body TEXT NOT NULL
      );
    )sql",
    // 2: scans by lifecycle state (recovery, checks) without reading every connection.
    R"sql(
      CREATE INDEX connections_by_state ON connections (state, id);
    )sql",
    // 3: documents of the API (tenants, keys, idempotency records, webhooks, audit).
    R"sql(
      CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (kind, id)
      );
      CREATE INDEX documents_by_tenant ON documents (kind, tenant, seq);
    )sql",
    // 4: how many connections each tenant has in each state, kept by the writes themselves, so
    // a list's total costs the same whatever the size of the book; a tenant's list in one state
    // read from an index.
    R"sql(
      CREATE TABLE connection_counts (
        tenant TEXT NOT NULL,
        state TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (tenant, state)
      ) WITHOUT ROWID;
      INSERT INTO connection_counts (tenant, state, n)
        SELECT tenant, state, COUNT(*) FROM connections GROUP BY tenant, state;
      CREATE TRIGGER connection_counted AFTER INSERT ON connections BEGIN
        INSERT INTO connection_counts (tenant, state, n) VALUES (NEW.tenant, NEW.state, 1)
          ON CONFLICT (tenant, state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER connection_recounted AFTER UPDATE OF tenant, state ON connections
        WHEN OLD.tenant IS NOT NEW.tenant OR OLD.state IS NOT NEW.state BEGIN
        UPDATE connection_counts SET n = n - 1 WHERE tenant = OLD.tenant AND state = OLD.state;
        INSERT INTO connection_counts (tenant, state, n) VALUES (NEW.tenant, NEW.state, 1)
          ON CONFLICT (tenant, state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER connection_uncounted AFTER DELETE ON connections BEGIN
        UPDATE connection_counts SET n = n - 1 WHERE tenant = OLD.tenant AND state = OLD.state;
      END;
      CREATE INDEX connections_by_tenant_state ON connections (tenant, state, id);
    )sql",
    // 5: lists by kind, end and tag read from an index: each connection's terms (store.h,
    // ConnectionQuery::terms), kept from its body by the writes themselves; rewritten only when
    // what was requested changes, not at every change of state. A connection's are found by
    // its old body's terms (an index by id would cost a third more writes per order). A body
    // that is not JSON has none.
    R"sql(
      CREATE TABLE connection_terms (
        term TEXT NOT NULL,
        id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        PRIMARY KEY (term, id)
      ) WITHOUT ROWID;
      CREATE INDEX connection_terms_by_tenant ON connection_terms (term, tenant, id);
      INSERT OR IGNORE INTO connection_terms (term, id, tenant)
        SELECT CASE WHEN j.path = '$.requested.tags' THEN 'tag:' || j.key || '=' || j.value
                    WHEN j.key = 'kind' THEN 'kind:' || j.value ELSE 'end:' || j.value END,
               c.id, c.tenant
          FROM connections c, json_tree(CASE WHEN json_valid(c.body) THEN c.body ELSE '{}' END,
                         '$.requested') j
          WHERE j.type = 'text' AND (j.path = '$.requested.tags' OR
                (j.path = '$.requested' AND j.key IN ('kind', 'a_end', 'z_end')));
      CREATE TRIGGER connection_terms_kept AFTER INSERT ON connections BEGIN
        INSERT OR IGNORE INTO connection_terms (term, id, tenant)
        SELECT CASE WHEN j.path = '$.requested.tags' THEN 'tag:' || j.key || '=' || j.value
                    WHEN j.key = 'kind' THEN 'kind:' || j.value ELSE 'end:' || j.value END,
               NEW.id, NEW.tenant
          FROM json_tree(CASE WHEN json_valid(NEW.body) THEN NEW.body ELSE '{}' END,
                         '$.requested') j
          WHERE j.type = 'text' AND (j.path = '$.requested.tags' OR
                (j.path = '$.requested' AND j.key IN ('kind', 'a_end', 'z_end')));
      END;
      CREATE TRIGGER connection_terms_rekept AFTER UPDATE OF tenant, body ON connections
        WHEN OLD.tenant IS NOT NEW.tenant OR
          (CASE WHEN json_valid(OLD.body) THEN json_extract(OLD.body, '$.requested') END) IS NOT
          (CASE WHEN json_valid(NEW.body) THEN json_extract(NEW.body, '$.requested') END)
        BEGIN
        DELETE FROM connection_terms WHERE id = OLD.id AND term IN (
          SELECT CASE WHEN j.path = '$.requested.tags' THEN 'tag:' || j.key || '=' || j.value
                    WHEN j.key = 'kind' THEN 'kind:' || j.value ELSE 'end:' || j.value END
          FROM json_tree(CASE WHEN json_valid(OLD.body) THEN OLD.body ELSE '{}' END,
                         '$.requested') j
          WHERE j.type = 'text' AND (j.path = '$.requested.tags' OR
                (j.path = '$.requested' AND j.key IN ('kind', 'a_end', 'z_end'))));
        INSERT OR IGNORE INTO connection_terms (term, id, tenant)
        SELECT CASE WHEN j.path = '$.requested.tags' THEN 'tag:' || j.key || '=' || j.value
                    WHEN j.key = 'kind' THEN 'kind:' || j.value ELSE 'end:' || j.value END,
               NEW.id, NEW.tenant
          FROM json_tree(CASE WHEN json_valid(NEW.body) THEN NEW.body ELSE '{}' END,
                         '$.requested') j
          WHERE j.type = 'text' AND (j.path = '$.requested.tags' OR
                (j.path = '$.requested' AND j.key IN ('kind', 'a_end', 'z_end')));
      END;
      CREATE TRIGGER connection_terms_gone AFTER DELETE ON connections BEGIN
        DELETE FROM connection_terms WHERE id = OLD.id AND term IN (
          SELECT CASE WHEN j.path = '$.requested.tags' THEN 'tag:' || j.key || '=' || j.value
                    WHEN j.key = 'kind' THEN 'kind:' || j.value ELSE 'end:' || j.value END
          FROM json_tree(CASE WHEN json_valid(OLD.body) THEN OLD.body ELSE '{}' END,
                         '$.requested') j
          WHERE j.type = 'text' AND (j.path = '$.requested.tags' OR
                (j.path = '$.requested' AND j.key IN ('kind', 'a_end', 'z_end'))));
      END;
    )sql",
};

}  // namespace lightpath
