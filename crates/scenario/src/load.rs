//! Loading a scenario: its file and every file it includes, each read once through a
//! [`Reader`] and parsed once, with the place of every step kept from parse time and its
//! templates compiled. A run then reads no scenario file: steps find their `file:line:col`
//! and their included flows here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartwright_diag::{Diagnostic, Sources, Span};
use cartwright_source::Reader;
use cartwright_source::tree::Tree;

use crate::ast::{Scenario, Step};
use crate::run::{Loaded, beside};

/// Includes nest at most this deep (a file including itself stops here).
pub(crate) const MAX_INCLUDE: usize = 8;

/// One scenario file as parsed: the scenario and where each of its steps is.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The scenario.
    pub scenario: Scenario,
    /// The span of each step (`/steps/<i>`), by index.
    pub steps: Vec<Option<Span>>,
}

/// Why an included file cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FlowError {
    /// It could not be read.
    #[error("cannot read include {path}: {reason}")]
    Unreadable {
        /// The file, as the include names it (beside the including file).
        path: String,
        /// Why.
        reason: String,
    },
    /// It is not a valid scenario.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Diagnostic>),
}

/// A scenario file and the files it includes (transitively), by path, each parsed once.
#[derive(Debug, Clone, Default)]
pub struct Flows {
    files: HashMap<PathBuf, Result<Arc<Parsed>, FlowError>>,
}

impl Flows {
    /// The parsed file at `path`, or why it cannot run; `None` when it was never loaded
    /// (nested deeper than `MAX_INCLUDE`).
    pub fn get(&self, path: &Path) -> Option<Result<&Parsed, &FlowError>> {
        self.files.get(path).map(|r| r.as_ref().map(|p| &**p))
    }

    /// Every file, by path: the scenario and each flow it includes.
    pub fn files(&self) -> impl Iterator<Item = (&Path, Result<&Parsed, &FlowError>)> {
        self.files
            .iter()
            .map(|(p, r)| (p.as_path(), r.as_ref().map(|x| &**x)))
    }

    /// Where step `index` of the file at `path` is.
    pub fn span(&self, path: &Path, index: usize) -> Option<Span> {
        match self.files.get(path)? {
            Ok(p) => p.steps.get(index).cloned().flatten(),
            Err(_) => None,
        }
    }
}

/// Parses one scenario file's text, records where each step is and compiles its templates.
pub(crate) fn parse_file(
    file: &str,
    text: &str,
    sources: &mut Sources,
) -> Result<Parsed, Vec<Diagnostic>> {
    let scenario = crate::parse::parse(file, text, sources)?;
    crate::template::warm(&scenario);
    let stored = sources.get(file).unwrap_or(text);
    let steps = (0..scenario.steps.len())
        .map(|i| cartwright_source::span_at(file, stored, &format!("/steps/{i}"), false))
        .collect();
    Ok(Parsed { scenario, steps })
}

/// Reads and parses a scenario file and every file it includes, each once, through
/// `reader`. The result has no spec (`api: None`) and an empty `api_name`: the caller
/// pairs it with its spec.
pub fn load(
    path: &Path,
    reader: &Reader,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    Loader::new(reader).load(path, sources)
}

/// As [`load`], with the scenario's own text already in hand (includes are still read
/// through `reader`).
pub fn load_text(
    path: &Path,
    text: &str,
    reader: &Reader,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    Loader::new(reader).load_text(path, text, sources)
}

/// Loads several scenarios through one [`Reader`], reading and parsing each included file
/// once however many of the scenarios include it. Includes stay within the scenario root:
/// a scenario from elsewhere cannot make cartwright read `../../x` or `/etc/passwd`.
#[derive(Debug)]
pub struct Loader<'r> {
    reader: &'r Reader,
    parsed: HashMap<PathBuf, Result<Arc<Parsed>, FlowError>>,
    root: Option<Tree>,
}

impl<'r> Loader<'r> {
    /// A loader reading through `reader`; includes stay within each scenario's own folder.
    pub fn new(reader: &'r Reader) -> Self {
        Loader {
            reader,
            parsed: HashMap::new(),
            root: None,
        }
    }

    /// Includes stay within `root` (the folder given to `run` or `lint`) instead.
    pub fn within(mut self, root: &Path) -> Self {
        self.root = Some(Tree::new(root));
        self
    }

    /// Reads and loads a scenario file (see [`load`]).
    pub fn load(&mut self, path: &Path, sources: &mut Sources) -> Result<Loaded, Vec<Diagnostic>> {
        let text = self
            .reader
            .text(path)
            .map_err(|e| vec![e.to_diagnostic()])?;
        self.load_text(path, &text, sources)
    }

    /// Loads a scenario whose text is in hand (see [`load_text`]).
    pub fn load_text(
        &mut self,
        path: &Path,
        text: &str,
        sources: &mut Sources,
    ) -> Result<Loaded, Vec<Diagnostic>> {
        let main = Arc::new(parse_file(&path.display().to_string(), text, sources)?);
        self.parsed.insert(path.to_path_buf(), Ok(main.clone()));
        let mut flows = Flows::default();
        flows.files.insert(path.to_path_buf(), Ok(main.clone()));
        let tree = self.root.clone().unwrap_or_else(|| Tree::of_file(path));
        let mut pending: Vec<(PathBuf, Arc<Parsed>, usize)> =
            vec![(path.to_path_buf(), main.clone(), 0)];
        while let Some((file, parsed, depth)) = pending.pop() {
            if depth >= MAX_INCLUDE {
                continue;
            }
            for inc in parsed.scenario.steps.iter().filter_map(Step::include) {
                let target = beside(&file, &inc.file);
                if flows.files.contains_key(&target) {
                    continue;
                }
                let loaded = if tree.holds(&target) {
                    self.flow(&target, sources)
                } else {
                    Err(FlowError::Unreadable {
                        path: target.display().to_string(),
                        reason: format!(
                            "it leads outside the scenario root `{}`",
                            tree.root().display()
                        ),
                    })
                };
                if let Ok(p) = &loaded {
                    pending.push((target.clone(), p.clone(), depth + 1));
                }
                flows.files.insert(target, loaded);
            }
        }
        Ok(Loaded {
            file: path.to_path_buf(),
            scenario: main.scenario.clone(),
            flows: Arc::new(flows),
            api: None,
            api_name: String::new(),
        })
    }

    /// An included file, read and parsed the first time any scenario includes it.
    fn flow(&mut self, path: &Path, sources: &mut Sources) -> Result<Arc<Parsed>, FlowError> {
        if let Some(done) = self.parsed.get(path) {
            return done.clone();
        }
        let done = self
            .reader
            .text(path)
            .map_err(|e| FlowError::Unreadable {
                path: path.display().to_string(),
                reason: e.reason(),
            })
            .and_then(|text| {
                parse_file(&path.display().to_string(), &text, sources)
                    .map(Arc::new)
                    .map_err(FlowError::Invalid)
            });
        self.parsed.insert(path.to_path_buf(), done.clone());
        done
    }
}
