package artifact

import (
	"bytes"
	"context"
	"fmt"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// PutContentRequest creates a version whose content is a small document
// held in memory, such as an OCI manifest, addressed by its digest.
type PutContentRequest struct {
	RepoID       int64
	Digest       string // digest of Content, verified by the caller
	Content      []byte
	MediaType    string
	ArtifactType string
	Subject      string     // digest of the version it refers to, or ""
	Refs         []meta.Ref // what the content refers to; each must be in the repository
	Annotations  []byte     // JSON, may be nil
	Tag          string     // tag to point at the version, or ""
}

// PutContent stores a content-addressed version and its tag. Putting a
// version that exists again only moves the tag. Errors: *MissingRefError
// when a ref is not in the repository, errs.Unavailable when garbage
// collection took the content while it was stored (putting it again
// succeeds).
func (s *Service) PutContent(ctx context.Context, req PutContentRequest) (meta.Version, error) {
	if err := s.putContent(ctx, req.RepoID, req.Digest, req.Content); err != nil {
		return meta.Version{}, fmt.Errorf("store content %s: %w", req.Digest, err)
	}
	v := meta.Version{
		RepoID: req.RepoID, Version: req.Digest, MediaType: req.MediaType,
		ArtifactType: req.ArtifactType, Subject: req.Subject, BlobDigest: req.Digest,
		Size: int64(len(req.Content)), Annotations: req.Annotations,
	}
	err := s.meta.Tx(ctx, func(q meta.Queries) error {
		for _, ref := range req.Refs {
			if err := checkRef(ctx, q, req.RepoID, ref); err != nil {
				return err
			}
		}
		err := q.CreateVersion(ctx, &v, req.Refs)
		if errs.Is(err, errs.Exists) {
			v, err = q.GetVersion(ctx, req.RepoID, req.Digest)
		}
		if err != nil {
			return err
		}
		// The version refers to its content, so the content stays if it
		// is there now (see gc.go).
		if err := s.present(ctx, req.Digest); err != nil {
			return err
		}
		if req.Tag != "" {
			return q.PutTag(ctx, req.RepoID, req.Tag, v.ID)
		}
		return nil
	})
	if errs.Is(err, errs.NotFound) {
		if _, gerr := s.meta.GetBlob(ctx, req.Digest); errs.Is(gerr, errs.NotFound) {
			err = s.collected(ctx, meta.Blob{Digest: req.Digest, Size: int64(len(req.Content))})
		}
	}
	if err != nil {
		return meta.Version{}, fmt.Errorf("put version %s: %w", req.Digest, err)
	}
	// The cache keeps its own copy: callers may reuse their buffer.
	s.cache.put(req.Digest, bytes.Clone(req.Content))
	return v, nil
}

func checkRef(ctx context.Context, q meta.Queries, repoID int64, ref meta.Ref) error {
	var err error
	switch ref.Kind {
	case meta.RefBlob:
		_, err = q.GetRepoBlob(ctx, repoID, ref.Digest)
	case meta.RefVersion:
		_, err = q.GetVersion(ctx, repoID, ref.Digest)
	default:
		return errs.E(errs.Invalid, "unknown reference kind %q", ref.Kind)
	}
	if errs.Is(err, errs.NotFound) {
		return &MissingRefError{Ref: ref}
	}
	return err
}

// Content is a version with its content bytes, which callers must not
// modify.
type Content struct {
	meta.Version
	Data []byte
}

// GetContent returns a version by digest with its content.
// Errors: errs.NotFound.
func (s *Service) GetContent(ctx context.Context, repoID int64, digest string) (Content, error) {
	v, err := s.meta.GetVersion(ctx, repoID, digest)
	if err != nil {
		return Content{}, fmt.Errorf("version %s: %w", digest, err)
	}
	return s.content(ctx, v)
}

// GetTaggedContent returns the version a tag points at with its content.
// Errors: errs.NotFound.
func (s *Service) GetTaggedContent(ctx context.Context, repoID int64, tag string) (Content, error) {
	v, err := s.meta.GetTaggedVersion(ctx, repoID, tag)
	if err != nil {
		return Content{}, fmt.Errorf("tag %s: %w", tag, err)
	}
	return s.content(ctx, v)
}

// FindTaggedContent is GetTaggedContent for a repository given by type and
// name, in one store lookup: the path of a pull by tag. Errors:
// errs.NotFound when the repository or the tag does not exist.
func (s *Service) FindTaggedContent(ctx context.Context, typ, repoName, tag string) (Content, error) {
	v, err := s.meta.FindTaggedVersion(ctx, typ, repoName, tag)
	if err != nil {
		return Content{}, fmt.Errorf("tag %s: %w", tag, err)
	}
	return s.content(ctx, v)
}

func (s *Service) content(ctx context.Context, v meta.Version) (Content, error) {
	if v.BlobDigest == "" {
		return Content{}, errs.E(errs.NotFound, "version %s has no content", v.Version)
	}
	data, err := s.readContent(ctx, v.BlobDigest, v.Size)
	if err != nil {
		return Content{}, err
	}
	return Content{Version: v, Data: data}, nil
}

// DeleteVersion removes a version by its string, with the tags that point
// at it. Errors: errs.NotFound.
func (s *Service) DeleteVersion(ctx context.Context, repoID int64, version string) error {
	err := s.meta.Tx(ctx, func(q meta.Queries) error {
		v, err := q.GetVersion(ctx, repoID, version)
		if err != nil {
			return err
		}
		return q.DeleteVersion(ctx, v.ID)
	})
	if err != nil {
		return fmt.Errorf("delete version %s: %w", version, err)
	}
	return nil
}

// Tags returns a page of a repository's tags.
func (s *Service) Tags(ctx context.Context, repoID int64, p meta.Page) ([]meta.Tag, error) {
	ts, err := s.meta.ListTags(ctx, repoID, p)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return ts, nil
}

// DeleteTag removes a tag; the version stays. Errors: errs.NotFound.
func (s *Service) DeleteTag(ctx context.Context, repoID int64, tag string) error {
	if err := s.meta.DeleteTag(ctx, repoID, tag); err != nil {
		return fmt.Errorf("delete tag %s: %w", tag, err)
	}
	return nil
}

// Referrers returns the versions of a repository that refer to subject,
// optionally only those of one artifact type.
func (s *Service) Referrers(ctx context.Context, repoID int64, subject, artifactType string) ([]meta.Version, error) {
	vs, err := s.meta.ListReferrers(ctx, repoID, subject, artifactType)
	if err != nil {
		return nil, fmt.Errorf("list referrers of %s: %w", subject, err)
	}
	return vs, nil
}
