//! Loading specs for a command: overlays paired with specs, diagnostics printed to stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use cartwright_diag::{Diagnostic, Sources, render_all};
use cartwright_model::Api;

use crate::SpecArgs;

/// The overlay for the i-th spec: given explicitly, or `NAME.overlay.yaml` beside `NAME.yaml`.
pub(crate) fn overlay_for(args: &SpecArgs, index: usize, spec: &Path) -> Option<PathBuf> {
    if !args.overlay.is_empty() {
        return args.overlay.get(index).cloned();
    }
    let stem = spec.file_stem()?.to_str()?;
    let ext = spec.extension()?.to_str()?;
    let candidate = spec.with_file_name(format!("{stem}.overlay.{ext}"));
    candidate.is_file().then_some(candidate)
}

/// Loads every spec; on failure, prints the diagnostics and returns them as plain text (for
/// report files).
pub(crate) fn load_all(args: &SpecArgs, quiet: bool) -> Result<Vec<Api>, String> {
    let mut apis = Vec::new();
    let mut failed = String::new();
    for (i, spec) in args.specs.iter().enumerate() {
        let mut sources = Sources::new();
        let options = args.options(i, args.lenient);
        match cartwright_spec::load(spec, &options, &mut sources) {
            Ok(loaded) => {
                let shown: Vec<Diagnostic> = loaded
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.is_error() || !quiet)
                    .collect();
                print(&shown, &sources);
                apis.push(loaded.api);
            }
            Err(diags) => {
                print(&diags, &sources);
                failed += &render_all(&diags, &sources, false);
                failed.push('\n');
            }
        }
    }
    if failed.is_empty() {
        Ok(apis)
    } else {
        Err(failed)
    }
}

/// Prints diagnostics to stderr, coloured on a terminal.
pub(crate) fn print(diags: &[Diagnostic], sources: &Sources) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprintln!("{}", render_all(diags, sources, color));
}

/// The inferred resource map of one API, under a heading naming its file.
pub(crate) fn resource_map(api: &cartwright_model::Api) -> String {
    format!("resources of {}\n{}", api.source, api.resources.render(api))
}

/// A target as clap checks it: an `http://` or `https://` URL with a host, so a typo is a
/// one-line usage error (exit 2) rather than a run of unreachable requests.
pub(crate) fn target_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
        .ok_or_else(|| format!("`{s}` is not an http:// or https:// URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(format!("`{s}` names no host"));
    }
    Ok(s.to_owned())
}
