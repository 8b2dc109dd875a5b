//! An example body with its patched places cut out, made once per example and list of
//! patch pointers: what no patch can change is JSON text written once, and a request writes
//! only the patched members' values. Patches that `*` or index into the example's own
//! arrays, or that replace the whole body, are not cut this way (`Template::make` gives
//! none and the answer is patched as a tree, `answer::patched`); so is a request where a
//! member a patch removed is written again (it would move to its object's end).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use cartwright_model::{ExprError, Pointer, Respond, Shape};
use serde_json::Value;

use super::answer::{Node, This, eval, walk};
use super::context::Ctx;
use crate::cache::BodyCache;

/// A part of the cut body.
enum Part {
    /// JSON text, written as it is.
    Text(Vec<u8>),
    /// An object with patched members.
    Obj(Vec<Piece>),
    /// The value of a patched member: the group of patches that write it.
    Slot(usize),
}

/// Members of an object with patched members.
enum Piece {
    /// Members no patch changes, as text (`"a":1,"b":2`).
    Fixed(Vec<u8>),
    /// A member (its key as text, with the colon) that patches change or walk through.
    Member(Vec<u8>, Part),
}

/// The cut body, and where each patch writes: its group and how many of its segments
/// lead to the group's member (the rest walk into that member's value).
pub(super) struct Template {
    /// The example body it was cut from, kept so that its address is not reused.
    skeleton: Arc<Value>,
    /// The patches' pointers it was cut for.
    pointers: Vec<String>,
    root: Part,
    patches: Vec<(usize, usize)>,
    groups: usize,
}

/// The body while it is cut: parts of the example, opened objects, and slots.
enum Cut<'s> {
    Example(&'s Value),
    Obj(Vec<(String, Cut<'s>)>),
    Slot(usize),
}

static NULL: Value = Value::Null;

impl Template {
    /// Cuts `skeleton` for `pointers`, or `None` when a pointer goes where a cut cannot.
    fn make(skeleton: &Arc<Value>, pointers: &[&Pointer]) -> Option<Template> {
        let mut root = Cut::Example(skeleton);
        let mut patches = Vec::with_capacity(pointers.len());
        let mut groups = 0;
        for p in pointers {
            patches.push(place(&mut root, &p.segments, 0, &mut groups)?);
        }
        Some(Template {
            skeleton: skeleton.clone(),
            pointers: pointers.iter().map(|p| p.text.clone()).collect(),
            root: part(root)?,
            patches,
            groups,
        })
    }

    /// The answer's text, or `None` when this request must be patched as a tree.
    pub(super) fn write<'a>(
        &self,
        body: &'a [(Pointer, Shape)],
        ctx: &'a Ctx,
        capacity: usize,
    ) -> Result<Option<Vec<u8>>, ExprError> {
        let mut values: Vec<Option<Node<'a>>> = (0..self.groups).map(|_| None).collect();
        let mut written = vec![false; self.groups];
        for ((ptr, shape), &(g, depth)) in body.iter().zip(&self.patches) {
            let rest = &ptr.segments[depth..];
            match (&mut values[g], rest.is_empty()) {
                (None, _) if written[g] => return Ok(None),
                (v, true) => *v = eval(ctx, shape, This::Unbound)?,
                (Some(v), false) => walk(v, rest, shape, ctx, This::Unbound)?,
                (None, false) => return Ok(None),
            }
            written[g] = true;
        }
        let mut out = Vec::with_capacity(capacity);
        write(&self.root, &values, &mut out)
            .map_err(|e| ExprError(format!("the answer could not be written: {e}")))?;
        Ok(Some(out))
    }
}

/// Finds (making it if it is new) the group of the member `segs` names.
fn place(
    at: &mut Cut<'_>,
    segs: &[String],
    depth: usize,
    groups: &mut usize,
) -> Option<(usize, usize)> {
    if let Cut::Slot(g) = at {
        return Some((*g, depth));
    }
    let seg = segs.get(depth)?;
    if seg == "*" || seg == "-" {
        return None;
    }
    match at {
        Cut::Example(Value::Object(m)) => {
            *at = Cut::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), Cut::Example(v)))
                    .collect(),
            );
        }
        // A patch below a scalar makes it an object; arrays and the root stay whole.
        Cut::Example(Value::Array(_)) => return None,
        Cut::Example(_) if depth == 0 => return None,
        Cut::Example(_) => *at = Cut::Obj(Vec::new()),
        _ => {}
    }
    let Cut::Obj(m) = at else { return None };
    let i = match m.iter().position(|(k, _)| k == seg) {
        Some(i) => i,
        None => {
            m.push((seg.clone(), Cut::Example(&NULL)));
            m.len() - 1
        }
    };
    if depth + 1 < segs.len() {
        return place(&mut m[i].1, segs, depth + 1, groups);
    }
    if let Cut::Slot(g) = m[i].1 {
        return Some((g, depth + 1));
    }
    m[i].1 = Cut::Slot(*groups);
    *groups += 1;
    Some((*groups - 1, depth + 1))
}

/// The finished part: unchanged members joined into text.
fn part(cut: Cut<'_>) -> Option<Part> {
    Some(match cut {
        Cut::Example(v) => Part::Text(serde_json::to_vec(v).ok()?),
        Cut::Slot(g) => Part::Slot(g),
        Cut::Obj(members) => {
            let mut pieces = Vec::new();
            for (k, v) in members {
                let mut key = serde_json::to_vec(&k).ok()?;
                key.push(b':');
                match (part(v)?, pieces.last_mut()) {
                    (Part::Text(t), Some(Piece::Fixed(run))) => {
                        run.push(b',');
                        run.extend(key);
                        run.extend(t);
                    }
                    (Part::Text(t), _) => {
                        key.extend(t);
                        pieces.push(Piece::Fixed(key));
                    }
                    (p, _) => pieces.push(Piece::Member(key, p)),
                }
            }
            Part::Obj(pieces)
        }
    })
}

fn write(part: &Part, values: &[Option<Node<'_>>], out: &mut Vec<u8>) -> serde_json::Result<()> {
    match part {
        Part::Text(t) => out.extend_from_slice(t),
        Part::Slot(g) => match &values[*g] {
            Some(v) => v.write(out)?,
            None => out.extend_from_slice(b"null"),
        },
        Part::Obj(pieces) => {
            out.push(b'{');
            let mut first = true;
            for piece in pieces {
                let (key, value) = match piece {
                    Piece::Fixed(t) => (t, None),
                    Piece::Member(_, Part::Slot(g)) if values[*g].is_none() => continue,
                    Piece::Member(k, p) => (k, Some(p)),
                };
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(key);
                if let Some(p) = value {
                    write(p, values, out)?;
                }
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// A template, or `None` for pointers that cannot be cut, by the addresses of the example
/// body and of the patches: two integers, hashed with foldhash (SipHash is for keys an
/// attacker chooses; these are addresses).
type ByAddress = HashMap<(usize, usize), Option<Arc<Template>>, foldhash::fast::RandomState>;

/// The templates made so far.
#[derive(Default)]
pub(super) struct Templates(RwLock<ByAddress>);

/// The most templates kept: one per example and list of patches in practice.
const MAX: usize = 1024;

impl Templates {
    /// The template for `skeleton` and `body`'s pointers (made on first use), or `None`
    /// when they cannot be cut.
    pub(super) fn get(
        &self,
        skeleton: &Arc<Value>,
        body: &[(Pointer, Shape)],
    ) -> Option<Arc<Template>> {
        let key = (Arc::as_ptr(skeleton) as usize, body.as_ptr() as usize);
        let fits = |t: &Template| {
            Arc::ptr_eq(&t.skeleton, skeleton)
                && t.pointers.len() == body.len()
                && t.pointers.iter().zip(body).all(|(a, (p, _))| *a == p.text)
        };
        if let Some(found) = self.0.read().unwrap_or_else(|p| p.into_inner()).get(&key)
            && found.as_deref().is_none_or(fits)
        {
            return found.clone();
        }
        let pointers: Vec<&Pointer> = body.iter().map(|(p, _)| p).collect();
        let made = Template::make(skeleton, &pointers).map(Arc::new);
        let mut all = self.0.write().unwrap_or_else(|p| p.into_inner());
        if all.len() >= MAX {
            all.clear();
        }
        all.insert(key, made.clone());
        made
    }
}

/// An answer's example as parsed and cut, kept with the binding's answer ([`Respond::memo`]):
/// a request whose example body is the one it was made from (the same bytes of the body
/// cache) takes it without looking the body or the template up.
pub(super) struct Kept {
    /// The example body it was made from; held, so no other body has its address.
    body: Bytes,
    /// The example, parsed.
    pub skeleton: Arc<Value>,
    /// Its cut for the answer's patches, or `None` when they cannot be cut.
    pub template: Option<Arc<Template>>,
    /// The patches as text, when the answer may be kept by its state
    /// ([`super::answers`]); `None` when they read more than the state.
    pub patches: Option<Arc<str>>,
}

impl Kept {
    /// What `r` keeps for `body`, made (and kept instead of what was) when `body` is another
    /// example: another status, media type or example name, or the spec reloaded. `None`
    /// when the body is not JSON.
    pub(super) fn of(
        r: &Respond,
        body: &Bytes,
        cache: &BodyCache,
        templates: &Templates,
    ) -> Option<Arc<Kept>> {
        let same = |k: &Kept| k.body.as_ptr() == body.as_ptr() && k.body.len() == body.len();
        if let Some(k) = r.memo.get().and_then(|m| m.downcast::<Kept>().ok())
            && same(&k)
        {
            return Some(k);
        }
        let skeleton = cache.parsed(body)?;
        let kept = Arc::new(Kept {
            body: body.clone(),
            template: templates.get(&skeleton, &r.body),
            patches: super::answers::patches(r),
            skeleton,
        });
        r.memo.set(kept.clone());
        Some(kept)
    }
}
