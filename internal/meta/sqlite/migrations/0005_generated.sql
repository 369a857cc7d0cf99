-- Packages generated from outside sources (a Spice package zipped from a
-- GitHub commit), so that an identical request is answered from the blob
-- store. A row refers to its blob, which garbage collection then spares.

CREATE TABLE generated (
	source  TEXT    NOT NULL,
	ref     TEXT    NOT NULL,
	path    TEXT    NOT NULL,
	variant TEXT    NOT NULL,
	digest  TEXT    NOT NULL REFERENCES blobs (digest),
	size    INTEGER NOT NULL,
	created INTEGER NOT NULL,
	PRIMARY KEY (source, ref, path, variant)
) STRICT, WITHOUT ROWID;

CREATE INDEX generated_digest ON generated (digest);
CREATE INDEX generated_created ON generated (created);
