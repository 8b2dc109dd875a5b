//! A request as a curl command that a POSIX shell gives back exactly: every argument is
//! single-quoted (a `'` inside becomes `'\''`), so quotes, newlines and non-ASCII text
//! survive. A body that is not UTF-8, or holds a NUL byte (which no command-line argument
//! can carry), is piped in instead: `echo '<base64>' | base64 -d | curl ... --data-binary @-`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::Request;

/// The request as a curl command (nothing masked: callers mask secrets).
pub fn curl(req: &Request) -> String {
    // Without --path-as-is curl would resolve dot segments, as URL libraries do.
    let as_is = if req.has_dot_segment() {
        " --path-as-is"
    } else {
        ""
    };
    let mut out = format!("curl{as_is} -X {} {}", req.method.as_str(), quote(&req.url));
    for (k, v) in req.wire_headers() {
        out.push_str(" -H ");
        out.push_str(&quote(&format!("{k}: {v}")));
    }
    let Some(body) = &req.body else {
        return out;
    };
    match std::str::from_utf8(&body.bytes) {
        Ok(text) if !text.contains('\0') => {
            out.push_str(" --data-raw ");
            out.push_str(&quote(text));
            out
        }
        _ => format!(
            "echo {} | base64 -d | {out} --data-binary @-",
            quote(&STANDARD.encode(&body.bytes))
        ),
    }
}

/// One shell word: single-quoted, with `'` written as `'\''`.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Body, Method};

    /// Reads a rendered line back as a shell would: the body bytes, URL and headers.
    fn parse(line: &str) -> (Vec<u8>, String, Vec<String>, Vec<String>) {
        let words = shell_words::split(line).expect("the line is valid shell");
        let (piped, words) = match words.iter().position(|w| w == "curl") {
            Some(0) => (None, &words[..]),
            Some(i) => {
                assert_eq!(&words[..1], ["echo"], "{line}");
                assert_eq!(&words[2..i], ["|", "base64", "-d", "|"], "{line}");
                let bytes = STANDARD.decode(&words[1]).expect("base64");
                (Some(bytes), &words[i..])
            }
            None => panic!("no curl in {line}"),
        };
        let mut body = piped.clone().unwrap_or_default();
        let (mut url, mut headers, mut flags) = (String::new(), Vec::new(), Vec::new());
        let mut it = words[1..].iter();
        while let Some(w) = it.next() {
            match w.as_str() {
                "-X" => flags.push(format!("-X {}", it.next().expect("method"))),
                "-H" => headers.push(it.next().expect("header").clone()),
                "--data-raw" => body = it.next().expect("data").clone().into_bytes(),
                "--data-binary" => {
                    assert_eq!(it.next().map(String::as_str), Some("@-"));
                    assert!(piped.is_some(), "{line}");
                }
                "--path-as-is" => flags.push(w.clone()),
                other => url = other.to_owned(),
            }
        }
        (body, url, headers, flags)
    }

    fn post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> Request {
        let mut r = Request::new(Method::Post, url);
        r.headers = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        r.body = Some(Body::new("application/json", body));
        r
    }

    #[test]
    fn quotes_newlines_and_non_ascii_text_round_trip() {
        let body = "{\"note\": \"it's \\\"fine\\\"\",\n \"name\": \"Zoë – 東京 🚚\"}\r\n'";
        let r = post(
            "http://h/it's?q=a'b",
            &[("X-Say", "don't 'quote' me"), ("X-Line", "ä\tb")],
            body.as_bytes(),
        );
        let line = curl(&r);
        let (bytes, url, headers, flags) = parse(&line);
        assert_eq!(bytes, body.as_bytes(), "{line}");
        assert_eq!(url, r.url);
        assert_eq!(
            headers,
            [
                "X-Say: don't 'quote' me",
                "X-Line: ä\tb",
                "content-type: application/json"
            ]
        );
        assert_eq!(flags, ["-X POST"]);
    }

    #[test]
    fn binary_bodies_are_piped_through_base64() {
        let body: Vec<u8> = (0..=255u8).chain([0, b'\'', 0xff]).collect();
        let r = post("http://h/upload", &[], &body);
        let line = curl(&r);
        assert!(line.starts_with("echo '"), "{line}");
        assert!(line.ends_with(" --data-binary @-"), "{line}");
        let (bytes, url, _, _) = parse(&line);
        assert_eq!(bytes, body);
        assert_eq!(url, "http://h/upload");
        // A NUL in otherwise valid UTF-8 cannot be an argument either.
        let (bytes, _, _, _) = parse(&curl(&post("http://h/", &[], b"a\0b")));
        assert_eq!(bytes, b"a\0b");
    }

    #[test]
    fn dot_segments_ask_curl_to_keep_the_path() {
        let r = Request::new(Method::Get, "http://h/a/../admin");
        assert_eq!(curl(&r), "curl --path-as-is -X GET 'http://h/a/../admin'");
        let (_, url, headers, flags) = parse(&curl(&r));
        assert_eq!((url.as_str(), headers.len()), ("http://h/a/../admin", 0));
        assert_eq!(flags, ["--path-as-is", "-X GET"]);
    }

    #[test]
    fn a_header_content_type_wins_over_the_body_one() {
        let r = post("http://h/", &[("Content-Type", "text/plain")], b"hi");
        assert_eq!(
            curl(&r),
            "curl -X POST 'http://h/' -H 'Content-Type: text/plain' --data-raw 'hi'"
        );
    }
}
