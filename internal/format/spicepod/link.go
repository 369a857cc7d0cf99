package spicepod

// Link is a file, a folder or a component file a spicepod refers to, by
// its path from the repository root.
type Link struct {
	// Path is the file or folder, or for a component reference the
	// directory holding the component file.
	Path string
	// Kind is the component kind of a reference ("catalog", "dataset",
	// "view", "model", "embeddings" or "tool"), or "" for a file or folder.
	Kind string
	// Folder is set when Path names a folder: every file under it.
	Folder bool
}

// Candidates returns the repository paths to try for a file or a
// component reference, in order: Path itself, or for a reference
// Path/<kind>.yaml then Path/<kind>.yml. A folder has none.
func (l Link) Candidates() []string {
	switch {
	case l.Folder:
		return nil
	case l.Kind != "":
		return []string{l.Path + "/" + l.Kind + ".yaml", l.Path + "/" + l.Kind + ".yml"}
	}
	return []string{l.Path}
}

// Entry returns the name a file or a component reference has in a
// package: Path, or for a reference Path/<kind>.yaml whichever candidate
// was found. A folder's files keep their repository paths.
func (l Link) Entry() string {
	if l.Kind != "" {
		return l.Path + "/" + l.Kind + ".yaml"
	}
	return l.Path
}

// Parsed reports whether the component file of a reference is read (with
// ParseComponent) for the files it names in turn.
func (l Link) Parsed() bool { return parsed(l.Kind) }
