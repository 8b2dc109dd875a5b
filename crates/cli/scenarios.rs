//! Finding scenario files and the spec each belongs to: `scenarios/<api>/x.yaml` uses
//! `specs/<api>.yaml` (beside the `scenarios/` folder) unless `--spec` says otherwise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartwright_diag::{Diagnostic, Sources};
use cartwright_model::Api;
use cartwright_scenario::{Loaded, Loader};
use cartwright_source::Reader;
use cartwright_spec::LoadOptions;

/// Scenario files under the inputs: folders are searched, `_`-prefixed files (flows made
/// to be included) are left out unless named directly.
pub(crate) fn files(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            walk(&p, out);
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && !name.starts_with('_') {
            out.push(p);
        }
    }
}

/// Whether a YAML/JSON file is an OpenAPI (or Swagger 2.0) document rather than a
/// scenario: a Swagger file goes to the spec loader, which refuses it by name.
pub(crate) fn is_spec(path: &Path) -> bool {
    top_key(path, &["openapi", "swagger"])
}

/// Whether a file is an OpenAPI Overlay (applied with its spec, not read on its own).
pub(crate) fn is_overlay(path: &Path) -> bool {
    top_key(path, &["overlay"])
}

/// Whether the file has one of `keys` at the top (YAML) or quoted (JSON). Read through the
/// bounded reader: a device or FIFO named on the command line is not read here.
fn top_key(path: &Path, keys: &[&str]) -> bool {
    Reader::new().text(path).is_ok_and(|t| {
        t.lines().any(|l| {
            keys.iter().any(|k| {
                l.strip_prefix(k).is_some_and(|r| r.starts_with(':'))
                    || l.trim_start().starts_with(&format!("\"{k}\""))
            })
        })
    })
}

/// The scenario root of a file: the folder given that holds it, else its own folder.
pub(crate) fn root_of(file: &Path, inputs: &[PathBuf]) -> PathBuf {
    inputs
        .iter()
        .filter(|i| i.is_dir() && file.starts_with(i))
        .max_by_key(|i| i.as_os_str().len())
        .cloned()
        .unwrap_or_else(|| cartwright_source::tree::folder(file).to_path_buf())
}

/// How scenario files are read: the folders given (includes stay within them) and the
/// bound on each file.
pub(crate) struct Inputs<'a> {
    /// The files and folders named on the command line.
    pub(crate) given: &'a [PathBuf],
    /// The most bytes read from one scenario or included file.
    pub(crate) max_bytes: u64,
}

/// `<api>`: the name of the scenario's folder.
pub(crate) fn api_name(file: &Path) -> String {
    file.parent().and_then(|p| p.file_name()).map_or_else(
        || "scenarios".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The `snapshots/` folder for scenario files: beside the `scenarios/` folder above them.
pub(crate) fn snapshot_root(files: &[PathBuf]) -> PathBuf {
    files
        .first()
        .and_then(|f| {
            f.ancestors()
                .find(|a| a.file_name().is_some_and(|n| n == "scenarios"))
        })
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("snapshots"), |p| p.join("snapshots"))
}

/// The spec a scenario file's folder names, if there is one.
fn spec_for(file: &Path) -> Option<PathBuf> {
    let scenarios = file
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "scenarios"))?;
    let root = scenarios.parent()?;
    let name = api_name(file);
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| root.join("specs").join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
}

/// Specs loaded once each.
#[derive(Default)]
pub(crate) struct Specs {
    loaded: HashMap<PathBuf, Option<Arc<Api>>>,
}

impl Specs {
    /// The spec at a path, loading it the first time; its diagnostics go to `errs`.
    pub(crate) fn get(
        &mut self,
        path: &Path,
        sources: &mut Sources,
        errs: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Api>> {
        if let Some(api) = self.loaded.get(path) {
            return api.clone();
        }
        let api = match cartwright_spec::load(path, &LoadOptions::default(), sources) {
            Ok(l) => Some(Arc::new(l.api)),
            Err(d) => {
                errs.extend(d);
                None
            }
        };
        self.loaded.insert(path.to_owned(), api.clone());
        api
    }
}

/// Parses scenario files and pairs each with its spec (`--spec`, else its folder's).
pub(crate) fn load(
    files: &[PathBuf],
    inputs: &Inputs<'_>,
    spec: Option<&Path>,
    sources: &mut Sources,
    errs: &mut Vec<Diagnostic>,
) -> Vec<Loaded> {
    let mut specs = Specs::default();
    let reader = Reader::with_limit(cartwright_source::Limit {
        bytes: inputs.max_bytes,
        flag: "--max-scenario-bytes",
    });
    let mut loaders: HashMap<PathBuf, Loader<'_>> = HashMap::new();
    let mut out = Vec::new();
    for file in files {
        if is_spec(file) {
            errs.push(Diagnostic::error(
                "not-a-scenario",
                format!(
                    "{} is an OpenAPI or Swagger document, not a scenario",
                    file.display()
                ),
            ));
            continue;
        }
        let text = match reader.text(file) {
            Ok(t) => t,
            Err(e) => {
                errs.push(e.to_diagnostic());
                continue;
            }
        };
        // One loader per root, so a flow shared by scenarios under it is parsed once.
        let root = root_of(file, inputs.given);
        let loader = loaders
            .entry(root.clone())
            .or_insert_with(|| Loader::new(&reader).within(&root));
        let loaded = match loader.load_text(file, &text, sources) {
            Ok(l) => l,
            Err(d) => {
                errs.extend(d);
                continue;
            }
        };
        let spec_path = spec.map(Path::to_path_buf).or_else(|| spec_for(file));
        let api = spec_path.and_then(|p| specs.get(&p, sources, errs));
        out.push(Loaded {
            api,
            api_name: api_name(file),
            ..loaded
        });
    }
    out
}
