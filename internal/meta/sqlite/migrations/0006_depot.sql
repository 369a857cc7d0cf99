-- The Habitat depot: the index of package releases over the versions of
-- "hab" repositories, channels and what they hold, promotion events, and
-- the settings of origins and of package names. Rows go with the version,
-- repository or namespace they belong to; owner and requester ids are
-- plain ids that outlive their users.

-- One release for one target; version_id is the core version, whose
-- repository and namespace the row repeats for its filters.
CREATE TABLE hab_releases (
	version_id   INTEGER NOT NULL PRIMARY KEY,
	repo_id      INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	origin       TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	version      TEXT    NOT NULL,
	release      TEXT    NOT NULL,
	target       TEXT    NOT NULL,
	checksum     TEXT    NOT NULL,
	visibility   TEXT    NOT NULL,
	package_type TEXT    NOT NULL,
	owner_id     INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	FOREIGN KEY (repo_id, version_id) REFERENCES versions (repo_id, id) ON DELETE CASCADE,
	UNIQUE (namespace_id, name, version, release, target)
) STRICT;

CREATE INDEX hab_releases_repo ON hab_releases (repo_id);
CREATE INDEX hab_releases_ident ON hab_releases (origin, name, version, release, target);

-- The run-time dependencies of a release, transitively, in their order.
CREATE TABLE hab_tdeps (
	version_id  INTEGER NOT NULL REFERENCES hab_releases (version_id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	dep_origin  TEXT    NOT NULL,
	dep_name    TEXT    NOT NULL,
	dep_version TEXT    NOT NULL,
	dep_release TEXT    NOT NULL,
	PRIMARY KEY (version_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX hab_tdeps_dep ON hab_tdeps (dep_origin, dep_name, version_id);

-- Channel names are case-sensitive and compare bytewise.
CREATE TABLE channels (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	owner_id     INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL,
	UNIQUE (namespace_id, name)
) STRICT;

-- created is when a version was added, updated when it was last promoted.
CREATE TABLE channel_versions (
	channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
	version_id INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
	created    INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	PRIMARY KEY (channel_id, version_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX channel_versions_version ON channel_versions (version_id, channel_id);

CREATE TABLE depot_events (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	operation    TEXT    NOT NULL,
	channel      TEXT    NOT NULL,
	origin       TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	version      TEXT    NOT NULL,
	release      TEXT    NOT NULL,
	target       TEXT    NOT NULL,
	visibility   TEXT    NOT NULL,
	requester_id INTEGER NOT NULL DEFAULT 0,
	trigger      TEXT    NOT NULL,
	created      INTEGER NOT NULL
) STRICT;

CREATE INDEX depot_events_created ON depot_events (created, id);
CREATE INDEX depot_events_namespace ON depot_events (namespace_id, created, id);

-- An organisation's Habitat settings; without a row, the defaults.
CREATE TABLE hab_origins (
	namespace_id       INTEGER NOT NULL PRIMARY KEY REFERENCES namespaces (id) ON DELETE CASCADE,
	default_visibility TEXT    NOT NULL,
	created            INTEGER NOT NULL,
	updated            INTEGER NOT NULL
) STRICT;

-- The settings of a package name, held by its repository.
CREATE TABLE hab_packages (
	repo_id      INTEGER NOT NULL PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	origin       TEXT    NOT NULL,
	name         TEXT    NOT NULL,
	visibility   TEXT    NOT NULL,
	owner_id     INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL,
	updated      INTEGER NOT NULL
) STRICT;

CREATE INDEX hab_packages_namespace ON hab_packages (namespace_id, name, repo_id);
