package artifact

import (
	"context"
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
}

// PutFile stores a file, computing its MD5, SHA-1 and SHA-512 digests
// while the body streams to the blob store. Errors: errs.Exists when the version already has a
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
	repo, err := s.EnsureRepo(ctx, req.Type, req.RepoName)
	if err != nil {
		return meta.File{}, err
	}
	// Refuse a duplicate before reading the body; the transaction below
	// checks again for a racing upload.
	if _, _, err := s.lookupFile(ctx, repo.ID, req.Version, req.FileName); err == nil {
		return meta.File{}, errs.E(errs.Exists, "package file already exists")
	}

	_, w, err := s.startUpload(ctx, repo.ID)
	if err != nil {
		return meta.File{}, err
	}
	defer w.Close()
	body := req.Body
	if req.MaxSize > 0 {
		body = io.LimitReader(body, req.MaxSize+1)
	}
	sums := newFileSums()
	br := &bodyReader{r: io.TeeReader(body, sums)}
	if _, err := w.ReadFrom(br); err != nil {
		return meta.File{}, s.discard(ctx, w, bodyError(br, err))
	}
	if req.MaxSize > 0 && w.Size() > req.MaxSize {
		return meta.File{}, s.discard(ctx, w, errs.E(errs.TooLarge, "file is larger than %d bytes", req.MaxSize))
	}

	file := meta.File{Name: req.FileName, Size: w.Size(), Lead: true, Digest: w.Digest()}
	sums.fill(&file)
	_, err = s.commit(ctx, w, file.Digest, func(q meta.Queries) error {
		v, err := q.GetVersion(ctx, repo.ID, req.Version)
		if errs.Is(err, errs.NotFound) {
			v = meta.Version{RepoID: repo.ID, Version: req.Version, CreatorID: req.Creator}
			err = q.CreateVersion(ctx, &v, nil)
		}
		if err != nil {
			return err
		}
		file.VersionID = v.ID
		err = q.CreateFile(ctx, &file)
		if errs.Is(err, errs.Exists) {
			return errs.E(errs.Exists, "package file already exists")
		}
		return err
	})
	if err != nil {
		return meta.File{}, fmt.Errorf("put file %s: %w", req.FileName, err)
	}
	return file, nil
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

// OpenFile opens a file for reading and, when count is set, counts a
// download of its version. The caller closes the reader.
// Errors: errs.NotFound.
func (s *Service) OpenFile(ctx context.Context, ref FileRef, count bool) (meta.File, blob.Reader, error) {
	v, f, err := s.StatFile(ctx, ref)
	if err != nil {
		return meta.File{}, nil, err
	}
	r, err := s.blobs.Open(ctx, f.Digest)
	if err != nil {
		return meta.File{}, nil, fmt.Errorf("open file %s: %w", ref.FileName, err)
	}
	if count {
		if err := s.meta.AddDownload(ctx, v.ID); err != nil {
			r.Close()
			return meta.File{}, nil, fmt.Errorf("count download: %w", err)
		}
	}
	return f, r, nil
}

// DeleteFile removes a file; when it was its version's last file the
// version goes too. Errors: errs.NotFound.
func (s *Service) DeleteFile(ctx context.Context, ref FileRef) error {
	repo, err := s.Repo(ctx, ref.Type, ref.RepoName)
	if err != nil {
		return err
	}
	err = s.meta.Tx(ctx, func(q meta.Queries) error {
		v, err := q.GetVersion(ctx, repo.ID, ref.Version)
		if err != nil {
			return err
		}
		f, err := q.GetFile(ctx, v.ID, ref.FileName)
		if err != nil {
			return err
		}
		files, err := q.ListFiles(ctx, v.ID)
		if err != nil {
			return err
		}
		if len(files) == 1 {
			return q.DeleteVersion(ctx, v.ID)
		}
		return q.DeleteFile(ctx, f.ID)
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
