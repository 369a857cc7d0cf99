package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"

	"wharf/internal/blob"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// PutFileRequest adds a named file to a version of a repository, creating
// the repository and the version when they do not exist yet.
type PutFileRequest struct {
	Type     string
	RepoName string
	Version  string
	FileName string
	Body     io.Reader
	// MaxSize bounds the file's size; 0 or negative means no bound.
	MaxSize int64
	// Creator is the id of the user uploading, recorded as the creator of
	// the version when this file creates it; 0 records none.
	Creator int64
	// Check, when set, runs once the whole body is in the blob store and
	// before anything refers to it: a format that reads the body as it
	// streams (through its own tee of Body) decides here. Its error
	// refuses the upload and discards the bytes; the metadata it returns
	// is recorded on the version when this file creates it.
	Check func(f meta.File) (metadata []byte, err error)
	// Record, when set, runs in the transaction that records the file,
	// after it: a format indexes the new file here. Its error rolls the
	// whole upload back.
	Record func(ctx context.Context, q meta.Queries, f meta.File) error
}

// PutFile stores a file, computing its SHA-256 digest and, for formats
// that ask (Format.FileSums), its MD5, SHA-1 and SHA-512 ones while the
// body streams to the blob store. Concurrent uploads of
// different files to a version that does not exist yet all land in one
// version. Errors: errs.Exists when the version already has a
// file of that name (case-insensitive), errs.TooLarge past MaxSize,
// errs.Invalid for names the format rejects.
func (s *Service) PutFile(ctx context.Context, req PutFileRequest) (meta.File, error) {
	f, err := s.format(req.Type)
	if err != nil {
		return meta.File{}, err
	}
	if f.ValidVersion != nil {
		if err := f.ValidVersion(req.Version); err != nil {
			return meta.File{}, err
		}
	}
	repo, created, err := s.ensureRepo(ctx, req.Type, req.RepoName, req.Creator)
	if err != nil {
		return meta.File{}, err
	}
	file, err := s.putFile(ctx, req, f, &repo, &created)
	if err != nil && created {
		// A refused upload leaves no trace: the repository it made goes
		// again, unless something has come to use it meanwhile.
		if _, derr := s.meta.DeleteUnusedRepo(context.WithoutCancel(ctx), repo.ID); derr != nil {
			err = errors.Join(err, derr)
		}
	}
	return file, err
}

// putFile is PutFile once the repository exists. When it has to make the
// repository anew it updates repo and created.
func (s *Service) putFile(ctx context.Context, req PutFileRequest, f Format, repo *meta.Repository, created *bool) (meta.File, error) {
	// Refuse a duplicate before reading the body; the transaction below
	// checks again for a racing upload.
	if _, _, err := s.lookupFile(ctx, repo.ID, req.Version, req.FileName); err == nil {
		return meta.File{}, errs.E(errs.Exists, "package file already exists")
	}

	_, w, err := s.startUpload(ctx, repo.ID)
	if errs.Is(err, errs.NotFound) {
		// A refused upload that had made the repository took it away
		// again between our lookup and our session: make it anew.
		if *repo, *created, err = s.ensureRepo(ctx, req.Type, req.RepoName, req.Creator); err == nil {
			_, w, err = s.startUpload(ctx, repo.ID)
		}
	}
	if err != nil {
		return meta.File{}, err
	}
	defer w.Close()
	body := req.Body
	if req.MaxSize > 0 {
		body = io.LimitReader(body, req.MaxSize+1)
	}
	var sums *fileSums
	if f.FileSums {
		sums = newFileSums()
		body = io.TeeReader(body, sums)
	}
	br := &bodyReader{r: body}
	if _, err := w.ReadFrom(br); err != nil {
		return meta.File{}, s.discard(ctx, w, bodyError(br, err))
	}
	if req.MaxSize > 0 && w.Size() > req.MaxSize {
		return meta.File{}, s.discard(ctx, w, errs.E(errs.TooLarge, "file is larger than %d bytes", req.MaxSize))
	}

	file := meta.File{Name: req.FileName, Size: w.Size(), Lead: true, Digest: w.Digest()}
	if sums != nil {
		sums.fill(&file)
	}
	var metadata []byte
	if req.Check != nil {
		if metadata, err = req.Check(file); err != nil {
			return meta.File{}, s.discard(ctx, w, err)
		}
	}
	_, err = s.commit(ctx, w, file.Digest, func(q meta.Queries) error {
		if err := addFile(ctx, q, repo.ID, req.Version, req.Creator, metadata, &file); err != nil {
			return err
		}
		if req.Record != nil {
			return req.Record(ctx, q, file)
		}
		return nil
	})
	if err != nil {
		return meta.File{}, fmt.Errorf("put file %s: %w", req.FileName, err)
	}
	return file, nil
}

// addFile records file in a version of a repository, creating the version
// when it does not exist yet. Uploads race: a version another upload
// created first is used, and one whose last file a concurrent delete
// removed, between the lookup and the insert, is created again. Errors:
// errs.Exists when the version has a file of that name.
func addFile(ctx context.Context, q meta.Queries, repoID int64, version string, creator int64, metadata []byte, file *meta.File) error {
	for attempt := 1; ; attempt++ {
		v, err := q.GetVersion(ctx, repoID, version)
		if errs.Is(err, errs.NotFound) {
			v = meta.Version{RepoID: repoID, Version: version, CreatorID: creator, Metadata: metadata}
			err = q.CreateVersion(ctx, &v, nil)
			if errs.Is(err, errs.Exists) {
				v, err = q.GetVersion(ctx, repoID, version)
			}
		}
		if err == nil {
			file.VersionID = v.ID
			err = q.CreateFile(ctx, file)
		}
		switch {
		case errs.Is(err, errs.NotFound) && attempt < 3:
			continue // the version went away under us
		case errs.Is(err, errs.Exists):
			return errs.E(errs.Exists, "package file already exists")
		}
		return err
	}
}

func (s *Service) lookupFile(ctx context.Context, repoID int64, version, name string) (meta.Version, meta.File, error) {
	v, err := s.meta.GetVersion(ctx, repoID, version)
	if err != nil {
		return v, meta.File{}, err
	}
	f, err := s.meta.GetFile(ctx, v.ID, name)
	return v, f, err
}

// FileRef names a file of a version of a repository.
type FileRef struct {
	Type, RepoName, Version, FileName string
}

// StatFile returns a file and its version. Errors: errs.NotFound.
func (s *Service) StatFile(ctx context.Context, ref FileRef) (meta.Version, meta.File, error) {
	repo, err := s.Repo(ctx, ref.Type, ref.RepoName)
	if err != nil {
		return meta.Version{}, meta.File{}, err
	}
	v, f, err := s.lookupFile(ctx, repo.ID, ref.Version, ref.FileName)
	if err != nil {
		return meta.Version{}, meta.File{}, fmt.Errorf("file %s: %w", ref.FileName, err)
	}
	return v, f, nil
}

// OpenFile opens a file for reading; the caller closes the reader. It
// counts no download: see CountDownload. Errors: errs.NotFound.
func (s *Service) OpenFile(ctx context.Context, ref FileRef) (meta.File, blob.Reader, error) {
	_, f, err := s.StatFile(ctx, ref)
	if err != nil {
		return meta.File{}, nil, err
	}
	r, err := s.blobs.Open(ctx, f.Digest)
	if err != nil {
		return meta.File{}, nil, fmt.Errorf("open file %s: %w", ref.FileName, err)
	}
	return f, r, nil
}

// CountDownload counts a download of a version, which a front does once a
// file of it is open and its content is being sent. Errors: errs.NotFound.
func (s *Service) CountDownload(ctx context.Context, versionID int64) error {
	if err := s.meta.AddDownload(ctx, versionID); err != nil {
		return fmt.Errorf("count download: %w", err)
	}
	return nil
}

// DeleteFile removes a file; when it was its version's last file the
// version goes too, in the same transaction. The version is locked first,
// so concurrent deletes of its files run one after the other and the one
// that removes the last file sees none left. Errors: errs.NotFound.
func (s *Service) DeleteFile(ctx context.Context, ref FileRef) error {
	repo, err := s.Repo(ctx, ref.Type, ref.RepoName)
	if err != nil {
		return err
	}
	err = s.meta.Tx(ctx, func(q meta.Queries) error {
		v, err := q.LockVersion(ctx, repo.ID, ref.Version)
		if err != nil {
			return err
		}
		f, err := q.GetFile(ctx, v.ID, ref.FileName)
		if err != nil {
			return err
		}
		if err := q.DeleteFile(ctx, f.ID); err != nil {
			return err
		}
		left, err := q.ListFiles(ctx, v.ID)
		if err != nil || len(left) > 0 {
			return err
		}
		return q.DeleteVersion(ctx, v.ID)
	})
	if err != nil {
		return fmt.Errorf("delete file %s: %w", ref.FileName, err)
	}
	return nil
}

// DeleteNamedVersion removes a version of a repository named by type and
// name, with all its files. Errors: errs.NotFound.
func (s *Service) DeleteNamedVersion(ctx context.Context, typ, repoName, version string) error {
	repo, err := s.Repo(ctx, typ, repoName)
	if err != nil {
		return err
	}
	return s.DeleteVersion(ctx, repo.ID, version)
}

// NamedVersion returns a version of a repository named by type and name.
// Errors: errs.NotFound when the repository or the version does not exist.
func (s *Service) NamedVersion(ctx context.Context, typ, repoName, version string) (meta.Version, error) {
	repo, err := s.Repo(ctx, typ, repoName)
	if err != nil {
		return meta.Version{}, err
	}
	v, err := s.meta.GetVersion(ctx, repo.ID, version)
	if err != nil {
		return meta.Version{}, fmt.Errorf("version %s: %w", version, err)
	}
	return v, nil
}
