//! One-time codes before an issuing request: the code is sent to the recipient the issuing
//! request names, then read from the cartwright mock's outbox (`/__cartwright/outbox`);
//! against any other server the documented example code is used, and the replay does the
//! same (its outbox step is skipped there and the variable keeps the example).

use cartwright_model::{Action, Operation};
use serde_json::Value;

use crate::request;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};
use crate::sessions::obtain::{body_path, issuing_request};
use crate::sessions::session;

/// Where the binding's `otp_verify` reads the recipient and the code from the body.
pub(crate) fn paths(op: &Operation) -> Option<(Path, Path)> {
    session::actions(op).find_map(|a| match a {
        Action::OtpVerify { to, code, .. } => {
            Some((body_path(to.source())?, body_path(code.source())?))
        }
        _ => None,
    })
}

/// A one-time code to send and read back before the issuing request.
pub(crate) struct Code {
    /// Where the recipient goes in bodies.
    pub to_path: Path,
    /// Where the code goes.
    pub code_path: Path,
    /// The recipient as in the body (a marker when fresh).
    pub to: String,
    /// The scenario variable of the code.
    pub var: String,
    /// The documented code, which the variable defaults to.
    pub example: String,
}

/// The code to obtain for an issuing request with `body`; `None` when the body lacks the
/// recipient or the code.
pub(crate) fn code(op: &Operation, body: &Value, label: &str) -> Option<Code> {
    let (to_path, code_path) = paths(op)?;
    Some(Code {
        to: json::at(body, &to_path)?.as_str()?.to_owned(),
        example: json::at(body, &code_path)?.as_str()?.to_owned(),
        to_path,
        code_path,
        var: format!("code_{label}"),
    })
}

/// Sends the code and reads it back: the outbox's code, else the documented one; `None`
/// when sending was refused.
pub(crate) async fn fetch(flow: &mut Flow<'_, '_>, issuer: &Operation, c: &Code) -> Option<String> {
    send_code(flow, issuer, c).await?;
    flow.vars
        .insert(c.var.clone(), Value::String(c.example.clone()));
    Some(
        read_code(flow, c)
            .await
            .unwrap_or_else(|| c.example.clone()),
    )
}

/// Sends the one-time code: through the operation whose binding sends codes (the issuing
/// one first), with a documented body that has no code in it.
pub(crate) async fn send_code(flow: &mut Flow<'_, '_>, issuer: &Operation, c: &Code) -> Option<()> {
    let api = flow.probe.api;
    let sends = |op: &Operation| session::actions(op).any(|a| matches!(a, Action::OtpSend { .. }));
    let op = std::iter::once(issuer)
        .chain(api.operations.iter())
        .find(|op| sends(op))?;
    let examples: Vec<Value> = request::body_media(op)
        .map(|m| m.examples.iter().map(|e| e.value.clone()).collect())
        .unwrap_or_default();
    let mut body = examples
        .iter()
        .find(|b| json::at(b, &c.code_path).is_none() && json::at(b, &c.to_path).is_some())
        .or_else(|| examples.first())
        .cloned()?;
    json::remove(&mut body, &c.code_path);
    json::set(&mut body, &c.to_path, Value::String(c.to.clone()));
    let req = issuing_request(flow, op, Some(body));
    let a = flow
        .setup(format!("{} (send a one-time code)", op.signature()), &req)
        .await?;
    flow::ok(a.status).then_some(())
}

/// The last code the cartwright mock's outbox holds for the recipient; `None` from any
/// other server. The replay reads the outbox itself, and keeps the documented code when
/// its target is not a mock.
pub(crate) async fn read_code(flow: &mut Flow<'_, '_>, c: &Code) -> Option<String> {
    let address = flow.value(&c.to).unwrap_or(&c.to).to_ascii_lowercase();
    let to = flow.template_of(&c.to).unwrap_or_else(|| address.clone());
    flow.outbox(&to, &c.var);
    let path = format!(
        "outbox?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("to", &address)
            .finish()
    );
    let req =
        crate::sessions::mock::request(flow.probe, cartwright_http::Method::Get, &path, None)?;
    let a = crate::sessions::mock::send(flow.probe, &req).await?;
    let messages = a.json.as_ref()?.get("messages")?.as_array()?;
    messages.last()?.get("code")?.as_str().map(str::to_owned)
}
