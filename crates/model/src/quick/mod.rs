//! A quick yes for a JSON body: its text checked against a schema in one pass, with no
//! `serde_json::Value` built. Most request bodies are valid and most schemas are plain
//! (types, properties, required, items, lengths, bounds, string enums), and building the
//! `Value` the full validator needs costs more than judging the text. Anything the quick
//! check does not know for certain (a `pattern`, a `format`, an escaped string against an
//! `enum`, a fraction against a bound, nesting past the limit, text serde_json would refuse) is
//! "don't know", never "no": the caller then parses and validates in full, which also
//! says where and why a body is wrong. So a quick yes is only ever given where serde_json
//! parses the text and jsonschema finds the value valid.

mod build;
mod scan;
mod text;

/// The parts of a schema the quick check knows, compiled at load.
#[derive(Debug, Clone)]
pub struct Quick {
    nodes: Vec<Node>,
    root: usize,
}

/// One schema, as the quick check sees it.
#[derive(Debug, Clone)]
enum Node {
    /// A schema with keywords the quick check does not judge.
    Unknown,
    /// `false`: nothing is valid.
    Never,
    /// `null`, or else the node at this index (an OpenAPI 3.0 `nullable` schema, which the
    /// loader writes as `anyOf: [schema, {type: null}]`). That node is never another
    /// `OrNull`: chains are flattened at load, and one that loops is [`Node::Unknown`].
    OrNull(usize),
    /// Keywords the quick check judges; `{}` and `true` are a check with none.
    Check(Box<Check>),
}

/// The judged keywords of one schema. Each applies only to values of its kind, as in
/// JSON Schema, except `enum`/`const`, which apply to all.
#[derive(Debug, Clone, Default)]
struct Check {
    /// The allowed kinds (bits of [`Kind`]); 0 when the schema has no `type`.
    kinds: u8,
    /// `enum` or `const` of strings (and `null`, for an OpenAPI 3.0 `nullable` enum) only.
    strings: Option<Vec<Box<str>>>,
    /// Whether that `enum` lists `null`.
    null_in_enum: bool,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: Option<f64>,
    exclusive_maximum: Option<f64>,
    /// The node every item is judged by (index 0, the empty check, when absent).
    items: usize,
    min_items: Option<u64>,
    max_items: Option<u64>,
    /// Named members with the node judging each; a required name missing from
    /// `properties` is listed with the `additionalProperties` node, which judges it.
    properties: Vec<(Box<str>, usize)>,
    /// Bit i: the member `properties[i]` is required.
    required: u64,
    /// The node judging any other member.
    additional: usize,
}

/// JSON's kinds, as bits of [`Check::kinds`].
#[derive(Debug, Clone, Copy)]
enum Kind {
    Null = 1,
    Boolean = 2,
    Integer = 4,
    Number = 8,
    String = 16,
    Array = 32,
    Object = 64,
}

impl Check {
    /// Whether the schema's `type` (if any) allows `kind`. An integer is also a number.
    fn allows(&self, kind: Kind) -> bool {
        let k = kind as u8;
        self.kinds == 0
            || self.kinds & k != 0
            || (k == Kind::Integer as u8 && self.kinds & Kind::Number as u8 != 0)
    }

    /// Whether the schema bounds numbers at all.
    fn bounded(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
    }
}

/// `Some(())`: valid, certainly; `None`: not known.
type Known = Option<()>;

/// Index of the empty check (everything valid), always present.
const ANY: usize = 0;
/// Index of `false`, always present.
const NEVER: usize = 1;

impl Quick {
    /// The quick check for the schema at `pointer` in `doc`, with `$ref`s (`#/…`) resolved
    /// in `doc`; `None` when the schema itself is one the quick check does not judge.
    pub fn build(doc: &serde_json::Value, pointer: &str) -> Option<Quick> {
        build::build(doc, pointer)
    }

    /// Whether `text` is certainly JSON that serde_json parses, nested no deeper than
    /// `depth_limit`, and valid for the schema. `false` means only "not known": parse and
    /// validate in full to find out.
    pub fn accepts(&self, text: &[u8], depth_limit: usize) -> bool {
        scan::accepts(self, text, depth_limit)
    }

    /// Whether the schema takes strings only (`type: string`) and `text`, as a string, is
    /// valid for it: a parameter's text is then its value as it is, with nothing to coerce
    /// and nothing left to judge. `false` means only "not known".
    pub fn accepts_string(&self, text: &str) -> bool {
        match &self.nodes[self.root] {
            Node::Check(c) if c.kinds == Kind::String as u8 => {
                let s = text::Str {
                    raw: text.as_bytes(),
                    escaped: false,
                    spare: 0,
                };
                text::fits(c, &s).is_some()
            }
            _ => false,
        }
    }
}
