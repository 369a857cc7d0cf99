-- Direct memberships of organisations with a role (Habitat's origin
-- members), beside memberships through teams.

CREATE TABLE members (
	namespace_id INTEGER NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role         TEXT    NOT NULL,
	created      INTEGER NOT NULL,
	PRIMARY KEY (namespace_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX members_user ON members (user_id, namespace_id);
