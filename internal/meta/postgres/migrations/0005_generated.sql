-- Packages generated from outside sources (a Spice package zipped from a
-- GitHub commit), so that an identical request is answered from the blob
-- store. A row refers to its blob, which garbage collection then spares.

CREATE TABLE generated (
	source  text        COLLATE "C" NOT NULL,
	ref     text        COLLATE "C" NOT NULL,
	path    text        COLLATE "C" NOT NULL,
	variant text        COLLATE "C" NOT NULL,
	digest  text        COLLATE "C" NOT NULL REFERENCES blobs (digest),
	size    bigint      NOT NULL,
	created timestamptz NOT NULL,
	PRIMARY KEY (source, ref, path, variant)
);

CREATE INDEX generated_digest ON generated (digest);
CREATE INDEX generated_created ON generated (created);
