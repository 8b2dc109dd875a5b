//! Where a `$ref` may lead: within the spec's folder tree. A spec fetched from elsewhere
//! must not make cartwright read (and print in a diagnostic) `/etc/passwd` or `../../x`;
//! `--allow-ref-outside` lifts the bound for a spec whose parts really live apart.

use std::path::Path;

use cartwright_source::tree::{Tree, folder};

/// The folder tree `$ref`d files must stay in; `None` when any file may be read.
#[derive(Debug, Clone)]
pub(crate) struct Confine {
    tree: Option<Tree>,
}

impl Confine {
    /// The tree of the folder holding `spec`, or no bound with `allow_outside`.
    pub(crate) fn new(spec: &Path, allow_outside: bool) -> Confine {
        let tree = (!allow_outside).then(|| Tree::of_file(spec));
        Confine { tree }
    }

    /// Why `target` (as written in a `$ref` of the file at `from`) may not be read, if so.
    pub(crate) fn refuse(&self, from: &Path, target: &str) -> Option<String> {
        let tree = self.tree.as_ref()?;
        let root = tree.root().display();
        if Path::new(target).is_absolute() {
            return Some(format!(
                "it is an absolute path, outside the spec's folder `{root}`"
            ));
        }
        (!tree.holds(&folder(from).join(target)))
            .then(|| format!("it leads outside the spec's folder `{root}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_escaping_targets_are_refused_and_inner_ones_allowed() {
        let dir = std::env::temp_dir().join(format!("cartwright-confine-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("parts")).expect("mkdir");
        let spec = dir.join("api.yaml");
        let confine = Confine::new(&spec, false);
        assert!(confine.refuse(&spec, "/etc/passwd").is_some());
        assert!(confine.refuse(&spec, "../x.yaml").is_some());
        assert!(confine.refuse(&spec, "parts/../../x.yaml").is_some());
        assert!(confine.refuse(&spec, "parts/a.yaml").is_none());
        let part = dir.join("parts/a.yaml");
        assert!(confine.refuse(&part, "../b.yaml").is_none(), "still inside");
        assert!(confine.refuse(&part, "../../b.yaml").is_some());
        let open = Confine::new(&spec, true);
        assert!(open.refuse(&spec, "/etc/passwd").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
