-- Organisations: settings of namespaces, robots, teams and their members,
-- invitations, repository permissions, default permissions, stars, OAuth
-- applications and codes, typed tokens and the usage log.

ALTER TABLE namespaces ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE namespaces ADD COLUMN invoice_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE namespaces ADD COLUMN invoice_email_address TEXT NOT NULL DEFAULT '';
ALTER TABLE namespaces ADD COLUMN tag_expiration_s INTEGER NOT NULL DEFAULT 1209600;

-- A robot is a user row with robot = 1 whose namespace_id is the
-- namespace it belongs to.
ALTER TABLE users ADD COLUMN robot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN metadata BLOB;
ALTER TABLE users ADD COLUMN sealed_secret BLOB;
ALTER TABLE users ADD COLUMN secret_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_accessed INTEGER;

ALTER TABLE repositories ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE repositories ADD COLUMN trust_enabled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE teams (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	lower_name   TEXT    NOT NULL,
	description  TEXT    NOT NULL DEFAULT '',
	role         TEXT    NOT NULL,
	created      INTEGER NOT NULL,
	UNIQUE (namespace_id, lower_name)
) STRICT;

CREATE TABLE team_members (
	team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created INTEGER NOT NULL,
	PRIMARY KEY (team_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX team_members_user ON team_members (user_id, team_id);

CREATE TABLE team_invites (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id     INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE, -- NULL: an e-mail invitation
	email       TEXT    NOT NULL DEFAULT '',
	lower_email TEXT    NOT NULL DEFAULT '',
	inviter_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
	code        TEXT    NOT NULL UNIQUE,
	created     INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX team_invites_user ON team_invites (team_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX team_invites_email ON team_invites (team_id, lower_email) WHERE lower_email <> '';
CREATE INDEX team_invites_invitee ON team_invites (user_id);
CREATE INDEX team_invites_address ON team_invites (lower_email);

CREATE TABLE permissions (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	repo_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
	team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE,
	role    TEXT    NOT NULL,
	created INTEGER NOT NULL,
	CHECK ((user_id IS NULL) <> (team_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX permissions_user ON permissions (repo_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX permissions_team ON permissions (repo_id, team_id) WHERE team_id IS NOT NULL;
CREATE INDEX permissions_by_user ON permissions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX permissions_by_team ON permissions (team_id) WHERE team_id IS NOT NULL;
CREATE INDEX permissions_repo ON permissions (repo_id); -- cascades from repositories

CREATE TABLE prototypes (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	uuid               TEXT    NOT NULL UNIQUE,
	namespace_id       INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	activating_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
	delegate_user_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
	delegate_team_id   INTEGER REFERENCES teams (id) ON DELETE CASCADE,
	role               TEXT    NOT NULL,
	created            INTEGER NOT NULL,
	CHECK ((delegate_user_id IS NULL) <> (delegate_team_id IS NULL))
) STRICT;

CREATE INDEX prototypes_namespace ON prototypes (namespace_id, id);

CREATE TABLE stars (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	repo_id INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	created INTEGER NOT NULL,
	PRIMARY KEY (user_id, repo_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX stars_repo ON stars (repo_id);

CREATE TABLE apps (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id    INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	client_id       TEXT    NOT NULL UNIQUE,
	sealed_secret   BLOB    NOT NULL,
	name            TEXT    NOT NULL,
	description     TEXT    NOT NULL DEFAULT '',
	application_uri TEXT    NOT NULL DEFAULT '',
	redirect_uri    TEXT    NOT NULL DEFAULT '',
	avatar_email    TEXT    NOT NULL DEFAULT '',
	created         INTEGER NOT NULL
) STRICT;

CREATE INDEX apps_namespace ON apps (namespace_id, id);

CREATE TABLE grant_codes (
	hash         TEXT    NOT NULL PRIMARY KEY,
	app_id       INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	scopes       TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
	redirect_uri TEXT    NOT NULL DEFAULT '',
	created      INTEGER NOT NULL,
	expires      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE tokens ADD COLUMN uuid TEXT;
ALTER TABLE tokens ADD COLUMN app_id INTEGER REFERENCES apps (id) ON DELETE CASCADE;
ALTER TABLE tokens ADD COLUMN sealed BLOB;

CREATE UNIQUE INDEX tokens_uuid ON tokens (uuid) WHERE uuid IS NOT NULL;
CREATE INDEX tokens_app ON tokens (app_id, id) WHERE app_id IS NOT NULL;

-- The usage log keeps ids without foreign keys: entries outlive what they
-- describe, and name it in metadata.
CREATE TABLE logs (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	kind         TEXT    NOT NULL,
	namespace_id INTEGER,
	repo_id      INTEGER,
	performer_id INTEGER,
	ip           TEXT    NOT NULL DEFAULT '',
	metadata     BLOB,
	created      INTEGER NOT NULL
) STRICT;

CREATE INDEX logs_namespace ON logs (namespace_id, created) WHERE namespace_id IS NOT NULL;
CREATE INDEX logs_repo ON logs (repo_id, created) WHERE repo_id IS NOT NULL;
CREATE INDEX logs_performer ON logs (performer_id, created) WHERE performer_id IS NOT NULL;
