-- The initial schema. Timestamps are microseconds since the Unix epoch, UTC.
-- Names are stored as sent next to a lower-cased copy that carries the
-- unique index, so lookups are case-insensitive and indexed.

CREATE TABLE namespaces (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT    NOT NULL,
	lower_name TEXT    NOT NULL UNIQUE,
	kind       TEXT    NOT NULL,
	public     INTEGER NOT NULL DEFAULT 0,
	created    INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT    NOT NULL,
	lower_name    TEXT    NOT NULL UNIQUE,
	email         TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL DEFAULT '',
	superuser     INTEGER NOT NULL DEFAULT 0,
	disabled      INTEGER NOT NULL DEFAULT 0,
	namespace_id  INTEGER NOT NULL REFERENCES namespaces (id),
	created       INTEGER NOT NULL
) STRICT;

CREATE INDEX users_namespace ON users (namespace_id);

CREATE TABLE tokens (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name      TEXT    NOT NULL DEFAULT '',
	hash      TEXT    NOT NULL UNIQUE,
	scopes    TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
	created   INTEGER NOT NULL,
	expires   INTEGER,                       -- NULL: never
	last_used INTEGER                        -- NULL: never used
) STRICT;

CREATE INDEX tokens_user ON tokens (user_id, id);

CREATE TABLE repositories (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id),
	type         TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	lower_name   TEXT    NOT NULL,
	public       INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	UNIQUE (type, lower_name)
) STRICT;

CREATE INDEX repositories_namespace ON repositories (namespace_id, type, lower_name);

-- last_used is when the blob was last recorded or newly referenced;
-- garbage collection spares blobs used after its cutoff.
CREATE TABLE blobs (
	digest    TEXT    NOT NULL PRIMARY KEY,
	size      INTEGER NOT NULL,
	created   INTEGER NOT NULL,
	last_used INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX blobs_last_used ON blobs (last_used);

CREATE TABLE versions (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	repo_id       INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	version       TEXT    NOT NULL,
	lower_version TEXT    NOT NULL,
	media_type    TEXT    NOT NULL DEFAULT '',
	artifact_type TEXT    NOT NULL DEFAULT '',
	subject       TEXT    NOT NULL DEFAULT '',
	blob_digest   TEXT    REFERENCES blobs (digest), -- NULL: no content of its own
	size          INTEGER NOT NULL DEFAULT 0,
	metadata      BLOB,
	annotations   BLOB,
	downloads     INTEGER NOT NULL DEFAULT 0,
	created       INTEGER NOT NULL,
	UNIQUE (repo_id, lower_version),
	UNIQUE (repo_id, id)
) STRICT;

CREATE INDEX versions_subject ON versions (repo_id, subject, id);
CREATE INDEX versions_blob ON versions (blob_digest);

CREATE TABLE version_refs (
	version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL CHECK (kind IN ('blob', 'version')),
	digest     TEXT    NOT NULL,
	PRIMARY KEY (version_id, kind, digest)
) STRICT, WITHOUT ROWID;

CREATE INDEX version_refs_digest ON version_refs (kind, digest);

CREATE TABLE files (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	lower_name TEXT    NOT NULL,
	digest     TEXT    NOT NULL REFERENCES blobs (digest),
	size       INTEGER NOT NULL,
	lead       INTEGER NOT NULL DEFAULT 0,
	created    INTEGER NOT NULL,
	UNIQUE (version_id, lower_name)
) STRICT;

CREATE INDEX files_digest ON files (digest);

-- A tag's version must belong to the tag's repository: the composite key
-- enforces it, and deleting the version deletes its tags.
CREATE TABLE tags (
	repo_id    INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	version_id INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	PRIMARY KEY (repo_id, name),
	FOREIGN KEY (repo_id, version_id) REFERENCES versions (repo_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX tags_version ON tags (repo_id, version_id, name);

CREATE TABLE repo_blobs (
	repo_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	digest  TEXT    NOT NULL REFERENCES blobs (digest),
	created INTEGER NOT NULL,
	PRIMARY KEY (repo_id, digest)
) STRICT, WITHOUT ROWID;

CREATE INDEX repo_blobs_digest ON repo_blobs (digest);

CREATE TABLE uploads (
	id         TEXT    NOT NULL PRIMARY KEY,
	repo_id    INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	size       INTEGER NOT NULL DEFAULT 0,
	hash_state BLOB,
	created    INTEGER NOT NULL,
	updated    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX uploads_repo ON uploads (repo_id);
CREATE INDEX uploads_updated ON uploads (updated);
