-- Who created a version, and the MD5, SHA-1 and SHA-512 digests of a
-- file next to its SHA-256 one. Rows written before this migration have
-- no creator (NULL) and empty digests.

ALTER TABLE versions ADD COLUMN creator_id bigint REFERENCES users (id) ON DELETE SET NULL;

CREATE INDEX versions_creator ON versions (creator_id);

ALTER TABLE files
	ADD COLUMN md5    text NOT NULL DEFAULT '',
	ADD COLUMN sha1   text NOT NULL DEFAULT '',
	ADD COLUMN sha512 text NOT NULL DEFAULT '';
