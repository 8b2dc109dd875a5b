//! cartwright's own clients of a mock whose admin API asks for a token: `cartwright run`
//! given `--admin-token` (or `CARTWRIGHT_ADMIN_TOKEN`) drives its `mock:` steps; without it
//! the run fails and says what to give, instead of skipping them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const TOKEN: &str = "cli-admin-t0k3n";
const SCENARIO: &str = "scenarios/centra-checkout/session-expiry.yaml";
const SPEC: &str = "specs/centra-checkout.yaml";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cartwright"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env_remove("CARTWRIGHT_TARGET")
        .env_remove("CARTWRIGHT_ADMIN_TOKEN");
    c
}

/// `cartwright mock SPEC --admin-token TOKEN` on a free port, killed on drop.
struct Mock(Child, String);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn mock() -> Mock {
    let child = bin()
        .args(["mock", SPEC, "--port", "0", "--quiet"])
        .env("CARTWRIGHT_ADMIN_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut m = Mock(child, String::new());
    let stdout = m.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(Ok(line)) = lines.next() {
        assert!(!line.contains(TOKEN), "the token is printed: {line}");
        if let Some(rest) = line.strip_prefix("listening on ") {
            m.1 = rest.split_whitespace().next().unwrap_or("").to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return m;
        }
    }
    panic!("the mock printed no URL");
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run(target: &str, token: Option<&str>) -> Output {
    let mut c = bin();
    c.args(["run", SCENARIO, "--spec", SPEC, "--target", target]);
    if let Some(t) = token {
        c.args(["--admin-token", t]);
    }
    c.output().expect("runs")
}

#[test]
fn run_passes_the_admin_token_to_its_mock_steps() {
    let m = mock();
    let without = run(&m.1, None);
    assert_ne!(without.status.code(), Some(0), "{}", text(&without));
    assert!(
        text(&without).contains("--admin-token"),
        "{}",
        text(&without)
    );
    let with = run(&m.1, Some(TOKEN));
    assert_eq!(with.status.code(), Some(0), "{}", text(&with));
    assert!(
        !text(&with).contains(TOKEN),
        "the token is shown: {}",
        text(&with)
    );
    // The environment variable does as the flag.
    let env = bin()
        .args(["run", SCENARIO, "--spec", SPEC, "--target", &m.1])
        .env("CARTWRIGHT_ADMIN_TOKEN", TOKEN)
        .output()
        .expect("runs");
    assert_eq!(env.status.code(), Some(0), "{}", text(&env));
}
