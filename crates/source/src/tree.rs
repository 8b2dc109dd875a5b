//! A folder tree that files are read from, and whether a path stays inside it: `$ref`s
//! stay within the spec's folder, `include:`s within the scenario root, so a file from
//! elsewhere cannot make cartwright read `/etc/passwd` or `../../x`.

use std::path::{Component, Path, PathBuf};

/// A folder, resolved once, that paths are checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    root: PathBuf,
}

impl Tree {
    /// The tree under `dir` (resolved through links when it exists).
    pub fn new(dir: &Path) -> Tree {
        Tree { root: real(dir) }
    }

    /// The tree holding `file`: its folder's.
    pub fn of_file(file: &Path) -> Tree {
        Tree::new(folder(file))
    }

    /// The resolved folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path` is inside the tree. An existing path is resolved through its links;
    /// a missing one lexically (it will fail as missing, but is never read outside).
    pub fn holds(&self, path: &Path) -> bool {
        real(path).starts_with(&self.root)
    }
}

/// The folder a file is in (`.` for a bare file name).
pub fn folder(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The canonical form of a path; for a path that does not exist (yet), its deepest existing
/// ancestor resolved and the rest appended lexically.
fn real(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let lex = lexical(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    for base in lex.ancestors().skip(1) {
        if let (Ok(real), Ok(rest)) = (std::fs::canonicalize(base), lex.strip_prefix(base)) {
            return real.join(rest);
        }
    }
    lex
}

/// `a/b/../c` as `a/c`, without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_and_out_of_a_tree() {
        let dir = std::env::temp_dir().join(format!("cartwright-tree-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("parts")).expect("mkdir");
        let tree = Tree::of_file(&dir.join("api.yaml"));
        assert!(tree.holds(&dir.join("parts/a.yaml")), "missing but inside");
        assert!(tree.holds(&dir.join("parts/../b.yaml")));
        assert!(!tree.holds(&dir.join("parts/../../b.yaml")));
        assert!(!tree.holds(Path::new("/etc/passwd")));
        assert_eq!(folder(Path::new("a.yaml")), Path::new("."));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
