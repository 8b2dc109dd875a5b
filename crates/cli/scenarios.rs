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

/// Whether a YAML/JSON file is an OpenAPI document rather than a scenario.
pub(crate) fn is_spec(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| {
        t.lines()
            .any(|l| l.starts_with("openapi:") || l.trim_start().starts_with("\"openapi\""))
    })
}

/// Whether a file is an OpenAPI Overlay (applied with its spec, not read on its own).
pub(crate) fn is_overlay(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.lines().any(|l| l.starts_with("overlay:")))
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
    spec: Option<&Path>,
    sources: &mut Sources,
    errs: &mut Vec<Diagnostic>,
) -> Vec<Loaded> {
    let mut specs = Specs::default();
    let reader = Reader::new();
    let mut loader = Loader::new(&reader);
    let mut out = Vec::new();
    for file in files {
        let text = match reader.text(file) {
            Ok(t) => t,
            Err(e) => {
                errs.push(Diagnostic::error(
                    "io",
                    format!("cannot read {}: {}", file.display(), e.reason()),
                ));
                continue;
            }
        };
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
