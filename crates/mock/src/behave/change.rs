//! Writes into a session's state at pointers, each returning what undoes it. A step changes
//! the stored state where it lies rather than a copy of it (copying a cart cost more than
//! the rest of adding a line to it); when a later step of the same operation fails, the
//! changes are undone in reverse, so a failed operation leaves the state as it was.

use serde_json::Value;

use super::patch::{get_mut, index, slot};

/// What undoes one change: where it was made, and what was there.
#[derive(Clone, Debug)]
pub(crate) struct Undo<'a> {
    /// The list element the change was made in (the list's pointer and the element's
    /// index), or `None` for the state itself.
    pub within: Option<(&'a [String], usize)>,
    /// The change, at a pointer inside that element or the state.
    pub change: Change<'a>,
}

/// One change made by a write.
#[derive(Clone, Debug)]
pub(crate) enum Change<'a> {
    /// `old` was at `path` (`None`: nothing was); `place` is where a member that was taken
    /// away stood among its object's members, so that it goes back there.
    Put {
        path: &'a [String],
        old: Option<Value>,
        place: usize,
    },
    /// A value was pushed onto the list at this pointer.
    Pushed(&'a [String]),
}

/// The changes an operation made to the state where it lies, newest last; off (keeping
/// nothing) while the state being changed is a copy, which a failure simply drops.
#[derive(Default, Debug)]
pub(crate) struct Log<'a>(Option<Vec<Undo<'a>>>);

impl<'a> Log<'a> {
    /// A log that keeps changes.
    pub(crate) fn on() -> Self {
        Log(Some(Vec::new()))
    }

    /// Whether changes are kept.
    pub(crate) fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Keeps what undoes `change`, made `within` a list element or the state itself.
    pub(crate) fn keep(
        &mut self,
        within: Option<(&'a [String], usize)>,
        change: Option<Change<'a>>,
    ) {
        if let (Some(log), Some(change)) = (&mut self.0, change) {
            log.push(Undo { within, change });
        }
    }

    /// Undoes every change kept, newest first, and turns the log off.
    pub(crate) fn undo_all(&mut self, state: &mut Value) {
        for u in self.0.take().into_iter().flatten().rev() {
            undo(state, u);
        }
    }

    /// `state` as it was before the changes kept: a copy, the log unchanged.
    pub(crate) fn before(&self, state: &Value) -> Value {
        let mut copy = state.clone();
        for u in self.0.iter().flatten().rev() {
            undo(&mut copy, u.clone());
        }
        copy
    }
}

/// Writes `v` at the pointer split into `segs`, making objects of what is missing or not a
/// container on the way; `None` removes the member, and a last `-` appends to a list.
/// Returns what undoes the write, or `None` when nothing changed.
pub(super) fn put_at<'s>(
    root: &mut Value,
    segs: &'s [String],
    v: Option<Value>,
) -> Option<Change<'s>> {
    let Some((last, parents)) = segs.split_last() else {
        return v.map(|v| Change::Put {
            path: segs,
            old: Some(std::mem::replace(root, v)),
            place: 0,
        });
    };
    let mut at = root;
    for (depth, seg) in parents.iter().enumerate() {
        if !at.is_object() && !at.is_array() {
            return Some(rebuilt(at, &segs[..depth], &segs[depth..], v));
        }
        at = match at {
            Value::Array(a) => a.get_mut(index(seg)?)?,
            Value::Object(m) => {
                if cartwright_model::member(m, seg).is_none() {
                    // Everything from this member down is new: taking it away undoes it.
                    m.insert(seg.clone(), Value::Object(serde_json::Map::new()));
                    let made = slot(m, seg).expect("just inserted");
                    let _ = put_at(made, &segs[depth + 1..], v);
                    return Some(Change::Put {
                        path: &segs[..=depth],
                        old: None,
                        place: 0,
                    });
                }
                slot(m, seg).expect("found")
            }
            _ => return None,
        };
    }
    if !at.is_object() && !at.is_array() {
        return Some(rebuilt(at, parents, std::slice::from_ref(last), v));
    }
    let put = |old| Change::Put {
        path: segs,
        old,
        place: 0,
    };
    match (at, v) {
        (Value::Object(m), Some(v)) => match slot(m, last) {
            Some(there) => Some(put(Some(std::mem::replace(there, v)))),
            None => {
                m.insert(last.clone(), v);
                Some(put(None))
            }
        },
        (Value::Object(m), None) => {
            let place = m.keys().position(|k| k == last)?;
            Some(Change::Put {
                path: segs,
                old: m.shift_remove(last),
                place,
            })
        }
        (Value::Array(a), Some(v)) => match index(last) {
            Some(i) if i < a.len() => Some(put(Some(std::mem::replace(&mut a[i], v)))),
            _ if last == "-" => {
                a.push(v);
                Some(Change::Pushed(parents))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Makes an object of `at` (a value that is not a container) and writes into it: undone by
/// putting the old value back at `path`.
fn rebuilt<'s>(
    at: &mut Value,
    path: &'s [String],
    rest: &'s [String],
    v: Option<Value>,
) -> Change<'s> {
    let old = std::mem::replace(at, Value::Object(serde_json::Map::new()));
    let _ = put_at(at, rest, v);
    Change::Put {
        path,
        old: Some(old),
        place: 0,
    }
}

/// Undoes one change in `state`; changes are undone newest first.
pub(crate) fn undo(state: &mut Value, u: Undo<'_>) {
    let root = match u.within {
        None => state,
        Some((list, i)) => match get_mut(state, list)
            .and_then(Value::as_array_mut)
            .and_then(|l| l.get_mut(i))
        {
            Some(element) => element,
            None => return,
        },
    };
    match u.change {
        Change::Pushed(path) => {
            if let Some(Value::Array(a)) = get_mut(root, path) {
                a.pop();
            }
        }
        Change::Put { path, old, place } => {
            let Some((last, parents)) = path.split_last() else {
                if let Some(old) = old {
                    *root = old;
                }
                return;
            };
            match (get_mut(root, parents), old) {
                (Some(Value::Object(m)), None) => {
                    m.shift_remove(last);
                }
                (Some(Value::Object(m)), Some(old)) => match slot(m, last) {
                    Some(there) => *there = old,
                    None => {
                        m.shift_insert(place.min(m.len()), last.clone(), old);
                    }
                },
                (Some(Value::Array(a)), Some(old)) => {
                    if let Some(x) = index(last).and_then(|i| a.get_mut(i)) {
                        *x = old;
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
#[path = "change_tests.rs"]
mod tests;
