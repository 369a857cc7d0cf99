-- What a Habitat origin keeps beside its packages: signing and encryption
-- key files by revision, secrets sealed to its encryption key, credentials
-- of outside services, and invitations of users to become members. Rows
-- go with their namespace; invitations also with the invited user. Owners
-- and inviters are plain ids: their rows outlive them.

CREATE TABLE origin_keys (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	kind         TEXT    NOT NULL,
	revision     TEXT    NOT NULL,
	body         BLOB    NOT NULL,
	owner_id     INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	UNIQUE (namespace_id, kind, revision)
) STRICT;

CREATE TABLE origin_secrets (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	value        TEXT    NOT NULL,
	owner_id     INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	UNIQUE (namespace_id, name)
) STRICT;

CREATE TABLE origin_integrations (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	integration  TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	body         BLOB    NOT NULL,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	UNIQUE (namespace_id, integration, name)
) STRICT;

CREATE TABLE origin_invitations (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	inviter_id   INTEGER NOT NULL DEFAULT 0,
	ignored      INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	UNIQUE (namespace_id, user_id)
) STRICT;

CREATE INDEX origin_invitations_user ON origin_invitations (user_id, created);
