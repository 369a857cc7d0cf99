-- Who created a version, and the MD5, SHA-1 and SHA-512 digests of a
-- file next to its SHA-256 one. Rows written before this migration have
-- no creator (NULL) and empty digests.

ALTER TABLE versions ADD COLUMN creator_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

CREATE INDEX versions_creator ON versions (creator_id);

ALTER TABLE files ADD COLUMN md5 TEXT NOT NULL DEFAULT '';
ALTER TABLE files ADD COLUMN sha1 TEXT NOT NULL DEFAULT '';
ALTER TABLE files ADD COLUMN sha512 TEXT NOT NULL DEFAULT '';
