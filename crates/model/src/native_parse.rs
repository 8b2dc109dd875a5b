//! Reads the common forms of binding expressions into a [`Native`] tree, with minijinja's
//! precedence (`if`/`else`, `or`, `and`, `not`, comparisons, `+ -`, `~`, `* /`, then
//! postfix lookups, filters and tests). Anything outside that subset is refused here, and
//! the expression stays with minijinja.

use serde_json::Value;

use crate::native::{Cmp, Filter, Func, Math, Native, Test};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Float(f64),
    Str(String),
    Sym(&'static str),
}

const SYMBOLS: &[&str] = &[
    "==", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "~", "+", "-", "*",
    "/", "<", ">", "=",
];

fn lex(s: &str) -> Option<Vec<Tok>> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Ident(s[start..i].to_owned()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(Tok::Float(s[start..i].parse().ok()?));
            } else {
                out.push(Tok::Int(s[start..i].parse().ok()?));
            }
            // `1e3`, `0x1`, `1_000`: minijinja's own reading.
            if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
                return None;
            }
        } else if c == b'\'' || c == b'"' {
            let end = s[i + 1..].find(c as char)? + i + 1;
            let text = &s[i + 1..end];
            if text.contains('\\') {
                return None;
            }
            out.push(Tok::Str(text.to_owned()));
            i = end + 1;
        } else {
            let sym = SYMBOLS.iter().find(|p| s[i..].starts_with(**p))?;
            // `//`, `**` and `%` are left to minijinja.
            if matches!(*sym, "/" | "*") && b.get(i + 1) == Some(&c) {
                return None;
            }
            out.push(Tok::Sym(sym));
            i += sym.len();
        }
    }
    Some(out)
}

/// Reads `source` when every part of it is in the native subset.
pub(crate) fn parse(source: &str) -> Option<Native> {
    let toks = lex(source)?;
    let mut p = Parser { toks, at: 0 };
    let n = p.ifexpr()?;
    (p.at == p.toks.len()).then_some(n)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

fn b(n: Native) -> Box<Native> {
    Box::new(n)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn sym(&mut self, s: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::Sym(x)) if *x == s);
        self.at += usize::from(hit);
        hit
    }
    fn word(&mut self, w: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::Ident(x)) if x == w);
        self.at += usize::from(hit);
        hit
    }
    fn expect(&mut self, s: &str) -> Option<()> {
        self.sym(s).then_some(())
    }

    fn ifexpr(&mut self) -> Option<Native> {
        let then = self.or()?;
        if !self.word("if") {
            return Some(then);
        }
        let cond = self.or()?;
        // Without `else` the result may be undefined in ways not worth copying.
        if !self.word("else") {
            return None;
        }
        let other = self.ifexpr()?;
        Some(Native::Cond(b(cond), b(then), b(other)))
    }
    fn or(&mut self) -> Option<Native> {
        let mut l = self.and()?;
        while self.word("or") {
            l = Native::Or(b(l), b(self.and()?));
        }
        Some(l)
    }
    fn and(&mut self) -> Option<Native> {
        let mut l = self.not()?;
        while self.word("and") {
            l = Native::And(b(l), b(self.not()?));
        }
        Some(l)
    }
    fn not(&mut self) -> Option<Native> {
        if self.word("not") {
            return Some(Native::Not(b(self.not()?)));
        }
        self.compare()
    }
    fn compare(&mut self) -> Option<Native> {
        let l = self.math1()?;
        let op = match self.peek() {
            Some(Tok::Sym("==")) => Cmp::Eq,
            Some(Tok::Sym("!=")) => Cmp::Ne,
            Some(Tok::Sym("<")) => Cmp::Lt,
            Some(Tok::Sym("<=")) => Cmp::Le,
            Some(Tok::Sym(">")) => Cmp::Gt,
            Some(Tok::Sym(">=")) => Cmp::Ge,
            Some(Tok::Ident(w)) if w == "in" || w == "not" => return None,
            _ => return Some(l),
        };
        self.at += 1;
        let r = self.math1()?;
        // Chained comparisons are left to minijinja.
        if matches!(
            self.peek(),
            Some(Tok::Sym("==" | "!=" | "<" | "<=" | ">" | ">="))
        ) {
            return None;
        }
        Some(Native::Cmp(b(l), op, b(r)))
    }
    fn math1(&mut self) -> Option<Native> {
        let mut l = self.concat()?;
        loop {
            let op = if self.sym("+") {
                Math::Add
            } else if self.sym("-") {
                Math::Sub
            } else {
                return Some(l);
            };
            l = Native::Math(b(l), op, b(self.concat()?));
        }
    }
    fn concat(&mut self) -> Option<Native> {
        let mut l = self.math2()?;
        while self.sym("~") {
            l = Native::Concat(b(l), b(self.math2()?));
        }
        Some(l)
    }
    fn math2(&mut self) -> Option<Native> {
        let mut l = self.unary()?;
        loop {
            let op = if self.sym("*") {
                Math::Mul
            } else if self.sym("/") {
                Math::Div
            } else {
                return Some(l);
            };
            l = Native::Math(b(l), op, b(self.unary()?));
        }
    }
    fn unary(&mut self) -> Option<Native> {
        let mut e = self.primary()?;
        loop {
            if self.sym(".") {
                match self.toks.get(self.at).cloned()? {
                    Tok::Ident(n) => {
                        e = match e {
                            Native::Name(w) if w == "request" && n == "body" => {
                                Native::Name(crate::fast::REQUEST_BODY.to_owned())
                            }
                            e => Native::Attr(b(e), n),
                        }
                    }
                    _ => return None,
                }
                self.at += 1;
            } else if self.sym("[") {
                let i = self.ifexpr()?;
                self.expect("]")?;
                e = Native::Index(b(e), b(i));
            } else if self.sym("|") {
                e = Native::Filter(b(e), self.filter()?);
            } else if self.word("is") {
                let negated = self.word("not");
                let test = match self.toks.get(self.at) {
                    Some(Tok::Ident(t)) if t == "defined" => Test::Defined,
                    Some(Tok::Ident(t)) if t == "undefined" => Test::Undefined,
                    Some(Tok::Ident(t)) if t == "none" => Test::None,
                    _ => return None,
                };
                self.at += 1;
                // A test with an argument (`is divisibleby 3`) is minijinja's.
                match self.peek() {
                    None | Some(Tok::Sym(")" | "]" | "}" | ",")) => {}
                    Some(Tok::Ident(w)) if ["and", "or", "if", "else"].contains(&w.as_str()) => {}
                    _ => return None,
                }
                e = Native::Is(b(e), test, negated);
            } else {
                return Some(e);
            }
        }
    }
    fn filter(&mut self) -> Option<Filter> {
        let Some(Tok::Ident(name)) = self.toks.get(self.at).cloned() else {
            return None;
        };
        self.at += 1;
        let mut args = Vec::new();
        let mut attribute = None;
        if self.sym("(") {
            while !self.sym(")") {
                if let (Some(Tok::Ident(k)), Some(Tok::Sym("="))) =
                    (self.peek().cloned(), self.toks.get(self.at + 1))
                {
                    self.at += 2;
                    match (k.as_str(), self.toks.get(self.at).cloned()?) {
                        ("attribute", Tok::Str(a)) => attribute = Some(a),
                        _ => return None,
                    }
                    self.at += 1;
                } else {
                    args.push(self.ifexpr()?);
                }
                if !self.sym(",") {
                    self.expect(")")?;
                    break;
                }
            }
        }
        let mut args = args.into_iter();
        let arg = args.next().map(b);
        if args.next().is_some() || (attribute.is_some() && name != "map") {
            return None;
        }
        Some(match (name.as_str(), arg) {
            ("string", None) => Filter::String,
            ("default" | "d", a) => Filter::Default(a),
            ("fixed", a) => Filter::Fixed(a),
            ("length" | "count", None) => Filter::Length,
            ("sum", None) => Filter::Sum,
            ("first", None) => Filter::First,
            ("lower", None) => Filter::Lower,
            ("list", None) => Filter::List,
            ("map", None) => {
                let path = attribute?;
                let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
                // Numeric segments index arrays in minijinja; left to it.
                if keys
                    .iter()
                    .any(|k| k.is_empty() || k.parse::<i64>().is_ok())
                {
                    return None;
                }
                Filter::Map(keys)
            }
            _ => return None,
        })
    }
    fn primary(&mut self) -> Option<Native> {
        let t = self.toks.get(self.at).cloned()?;
        self.at += 1;
        Some(match t {
            Tok::Int(i) => Native::Lit(Value::from(i)),
            Tok::Float(f) => Native::Lit(Value::from(f)),
            Tok::Str(s) => Native::Lit(Value::String(s)),
            Tok::Ident(w) => match w.as_str() {
                "none" | "None" => Native::Lit(Value::Null),
                "true" | "True" => Native::Lit(Value::Bool(true)),
                "false" | "False" => Native::Lit(Value::Bool(false)),
                "not" | "and" | "or" | "is" | "in" | "if" | "else" | "loop" | "self" => {
                    return None;
                }
                "digits" | "hex" | "uuid" | "random_token" if self.sym("(") => {
                    let arg = if self.sym(")") {
                        None
                    } else {
                        let Some(Tok::Int(n)) = self.toks.get(self.at).cloned() else {
                            return None;
                        };
                        self.at += 1;
                        self.expect(")")?;
                        Some(usize::try_from(n).ok()?)
                    };
                    let f = match w.as_str() {
                        "digits" => Func::Digits,
                        "hex" => Func::Hex,
                        "uuid" if arg.is_none() => Func::Uuid,
                        "random_token" => Func::RandomToken,
                        _ => return None,
                    };
                    Native::Call(f, arg)
                }
                _ if matches!(self.peek(), Some(Tok::Sym("("))) => return None,
                _ => Native::Name(w),
            },
            Tok::Sym("(") => {
                let e = self.ifexpr()?;
                self.expect(")")?;
                e
            }
            Tok::Sym("[") => {
                let mut items = Vec::new();
                while !self.sym("]") {
                    items.push(self.ifexpr()?);
                    if !self.sym(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                Native::List(items)
            }
            Tok::Sym("{") => {
                let mut fields = Vec::new();
                while !self.sym("}") {
                    let Some(Tok::Str(k)) = self.toks.get(self.at).cloned() else {
                        return None;
                    };
                    self.at += 1;
                    self.expect(":")?;
                    fields.push((k, self.ifexpr()?));
                    if !self.sym(",") {
                        self.expect("}")?;
                        break;
                    }
                }
                Native::Dict(sorted(fields))
            }
            Tok::Sym(_) => return None,
        })
    }
}

/// A dict literal's members by key, as minijinja keeps them; of a key given twice, the
/// later value.
fn sorted(mut fields: Vec<(String, Native)>) -> Vec<(String, Native)> {
    fields.reverse();
    // Stable: of equal keys the later (now the earlier) is first, and `dedup` keeps it.
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    fields.dedup_by(|next, kept| next.0 == kept.0);
    fields
}
