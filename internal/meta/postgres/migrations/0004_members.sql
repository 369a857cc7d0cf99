-- Direct memberships of organisations with a role (Habitat's origin
-- members), beside memberships through teams.

CREATE TABLE members (
	namespace_id bigint      NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
	user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role         text        COLLATE "C" NOT NULL,
	created      timestamptz NOT NULL,
	PRIMARY KEY (namespace_id, user_id)
);

CREATE INDEX members_user ON members (user_id, namespace_id);
