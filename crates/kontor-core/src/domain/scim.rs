//! SCIM 2.0 Users (RFC 7643, RFC 7644) as kontor keeps them (#21): which
//! attributes a provider may write and how they read back, what a write
//! makes of a person (sign-in email, name, language, active), filters and
//! PATCH operations. Filters and PATCH paths are parsed by `scim_v2`;
//! everything here is pure and works on the resource's JSON.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::roles::Lang;
use crate::store::{ScimPerson, ScimWrite};
use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, ValFilter};
pub use scim_v2::filter::{Filter, PatchPath};

/// The User schema.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// A list answer.
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// An error answer.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// A PATCH request.
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Longest string kontor keeps in an attribute.
pub const MAX_STRING: usize = 500;
/// Most items in a page of a list.
pub const MAX_COUNT: usize = 500;

/// The writable attributes kontor keeps, as SCIM spells them.
const WRITABLE: [&str; 7] = [
    "userName",
    "name",
    "displayName",
    "emails",
    "preferredLanguage",
    "active",
    "externalId",
];
/// Sub-attributes of `name`.
const NAME_PARTS: [&str; 3] = ["formatted", "givenName", "familyName"];
/// Sub-attributes of each of `emails`.
const EMAIL_PARTS: [&str; 3] = ["value", "type", "primary"];

/// A refusal in SCIM's terms (RFC 7644 §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    /// HTTP status.
    pub status: u16,
    /// `invalidFilter`, `invalidValue`, `uniqueness`, `mutability`,
    /// `invalidSyntax`, `invalidPath`, `noTarget`, `tooMany`.
    pub scim_type: Option<&'static str>,
    /// What was wrong, for people.
    pub detail: String,
}

impl ScimError {
    /// 400 with a SCIM error type.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> ScimError {
        ScimError {
            status: 400,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }

    /// The error's JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        body
    }
}

/// The canonical spelling of an attribute name (SCIM's are
/// case-insensitive), when kontor keeps it.
fn canonical<'a>(name: &str, among: &[&'a str]) -> Option<&'a str> {
    among.iter().copied().find(|a| a.eq_ignore_ascii_case(name))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// A person as a SCIM User resource; `base` is the endpoint's URL
/// (`…/scim/v2`) for `meta.location`.
pub fn resource(p: &ScimPerson, base: &str) -> Value {
    let actor = &p.user.actor;
    let mut r = match &p.profile {
        Some(Value::Object(profile)) => Value::Object(profile.clone()),
        // Someone the portal made: what kontor knows of them.
        _ => json!({
            "userName": actor.email,
            "displayName": actor.name,
            "name": { "formatted": actor.name },
            "emails": [{ "value": actor.email, "type": "work", "primary": true }],
            "preferredLanguage": actor.lang.as_str(),
        }),
    };
    let id = actor.user_id.0.to_string();
    r["schemas"] = json!([USER_SCHEMA]);
    r["id"] = json!(id);
    // Deactivated reads `false` whatever was written; an active person
    // without a written `active` (the provider removed it) reads without.
    let written = r.get("active").is_some() || p.profile.is_none();
    if p.user.disabled || written {
        r["active"] = json!(!p.user.disabled);
    }
    match &p.external_id {
        Some(e) => r["externalId"] = json!(e),
        None => {
            if let Some(o) = r.as_object_mut() {
                o.remove("externalId");
            }
        }
    }
    r["meta"] = json!({
        "resourceType": "User",
        "created": rfc3339(p.created_at),
        "lastModified": rfc3339(p.created_at),
        "location": format!("{base}/Users/{id}"),
    });
    r
}

fn string(v: &Value, attr: &str) -> Result<Option<String>, ScimError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.chars().count() <= MAX_STRING => Ok(Some(s.clone())),
        Value::String(_) => Err(ScimError::bad(
            "invalidValue",
            format!("{attr}: at most {MAX_STRING} characters"),
        )),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("{attr}: expected a string"),
        )),
    }
}

/// Booleans as JSON, or as the strings some providers send ("False").
fn boolean(v: &Value, attr: &str) -> Result<Option<bool>, ScimError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(ScimError::bad(
            "invalidValue",
            format!("{attr}: expected true or false"),
        )),
    }
}

fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && s.matches('@').count() == 1
        }
        None => false,
    }
}

/// Keeps only the sub-attributes kontor knows, canonically spelled, with
/// their types checked.
fn complex(v: &Value, attr: &str, parts: &[&'static str]) -> Result<Map<String, Value>, ScimError> {
    let Value::Object(o) = v else {
        return Err(ScimError::bad(
            "invalidValue",
            format!("{attr}: expected an object"),
        ));
    };
    let mut out = Map::new();
    for (k, v) in o {
        let Some(part) = canonical(k, parts) else {
            continue;
        };
        let kept = if part == "primary" {
            boolean(v, &format!("{attr}.{part}"))?.map(Value::Bool)
        } else {
            string(v, &format!("{attr}.{part}"))?.map(Value::String)
        };
        if let Some(kept) = kept {
            out.insert(part.to_owned(), kept);
        }
    }
    Ok(out)
}

/// What a written resource (POST, PUT, or the result of a PATCH) makes of
/// a person: checked, with the attributes kontor keeps. `lang` is the
/// person's language so far (kept unless `preferredLanguage` says de or en).
pub fn write_from(input: &Value, lang: Lang) -> Result<ScimWrite, ScimError> {
    let Value::Object(o) = input else {
        return Err(ScimError::bad("invalidSyntax", "expected a User object"));
    };
    let mut profile = Map::new();
    let mut active = None;
    let mut external_id = None;
    for (k, v) in o {
        let Some(attr) = canonical(k, &WRITABLE) else {
            continue;
        };
        match attr {
            "active" => active = boolean(v, attr)?,
            "externalId" => external_id = string(v, attr)?,
            "name" if !v.is_null() => {
                profile.insert(attr.into(), Value::Object(complex(v, attr, &NAME_PARTS)?));
            }
            "emails" if !v.is_null() => {
                let Value::Array(items) = v else {
                    return Err(ScimError::bad("invalidValue", "emails: expected a list"));
                };
                let emails = items
                    .iter()
                    .map(|e| complex(e, attr, &EMAIL_PARTS).map(Value::Object))
                    .collect::<Result<Vec<_>, _>>()?;
                profile.insert(attr.into(), Value::Array(emails));
            }
            _ => {
                if let Some(s) = string(v, attr)? {
                    profile.insert(attr.into(), Value::String(s));
                }
            }
        }
    }
    let user_name = profile
        .get("userName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ScimError::bad("invalidValue", "userName is required"))?
        .to_owned();
    let emails: Vec<&str> = profile
        .get("emails")
        .and_then(Value::as_array)
        .map(|list| {
            let primary = list
                .iter()
                .filter(|e| e.get("primary") == Some(&Value::Bool(true)));
            let rest = list
                .iter()
                .filter(|e| e.get("primary") != Some(&Value::Bool(true)));
            primary
                .chain(rest)
                .filter_map(|e| e.get("value").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    // The sign-in name: the user name when it is an email address (the
    // usual UPN), else the primary (or first) email, else the user name
    // itself (such a person signs in by single sign-on only and gets no
    // mail).
    let email = std::iter::once(user_name.as_str())
        .chain(emails)
        .find(|e| looks_like_email(e))
        .unwrap_or(&user_name)
        .trim()
        .to_lowercase();
    let name_part = |part: &str| {
        profile
            .get("name")
            .and_then(|n| n.get(part))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let given_family = [name_part("givenName"), name_part("familyName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = profile
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| name_part("formatted"))
        .or_else(|| (!given_family.is_empty()).then_some(given_family))
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned())
        .chars()
        .take(200)
        .collect();
    let lang = match profile
        .get("preferredLanguage")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
    {
        Some(l) if l.starts_with("de") => Lang::De,
        Some(l) if l.starts_with("en") => Lang::En,
        _ => lang,
    };
    // Kept as written, so that an `active` the provider removed reads back
    // as absent (the person stays active).
    if let Some(a) = active {
        profile.insert("active".into(), Value::Bool(a));
    }
    Ok(ScimWrite {
        email,
        name,
        lang,
        external_id,
        profile: Value::Object(profile),
        active: active.unwrap_or(true),
    })
}

/// Parses a `filter` query.
pub fn parse_filter(raw: &str) -> Result<Filter, ScimError> {
    raw.parse::<Filter>()
        .map_err(|e| ScimError::bad("invalidFilter", format!("the filter: {e}")))
}

/// The values an attribute path names in a resource (multi-valued
/// attributes give each of their values).
fn values<'a>(r: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(top) = lookup(r, &path.name) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match top {
        Value::Array(items) => items.iter().collect(),
        v => vec![v],
    };
    match &path.sub_attr {
        Some(sub) => items.into_iter().filter_map(|i| lookup(i, sub)).collect(),
        // A multi-valued complex attribute compared as a whole compares
        // its `value`s (RFC 7644 §3.4.2.2).
        None => items
            .into_iter()
            .map(|i| lookup(i, "value").unwrap_or(i))
            .collect(),
    }
}

fn lookup<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn case_exact(path: &AttrPath) -> bool {
    path.sub_attr.is_none() && (path.name == "id" || path.name.eq_ignore_ascii_case("externalId"))
}

fn compare(v: &Value, op: &CompareOp, want: &CompValue, exact: bool) -> bool {
    use std::cmp::Ordering;
    let ordering = match (v, want) {
        (Value::String(s), CompValue::Str(w)) => {
            let (s, w) = if exact {
                (s.clone(), w.clone())
            } else {
                (s.to_lowercase(), w.to_lowercase())
            };
            match op {
                CompareOp::Co => return s.contains(&w),
                CompareOp::Sw => return s.starts_with(&w),
                CompareOp::Ew => return s.ends_with(&w),
                _ => s.cmp(&w),
            }
        }
        (Value::Bool(b), CompValue::True) => b.cmp(&true),
        (Value::Bool(b), CompValue::False) => b.cmp(&false),
        (Value::Number(n), CompValue::Number(w)) => {
            match n
                .as_f64()
                .zip(w.as_f64())
                .and_then(|(a, b)| a.partial_cmp(&b))
            {
                Some(o) => o,
                None => return false,
            }
        }
        _ => return matches!(op, CompareOp::Ne),
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

fn attr_matches(r: &Value, exp: &AttrExp) -> bool {
    match exp {
        AttrExp::Present(path) => !values(r, path).is_empty(),
        AttrExp::Comparison(path, op, want) => {
            let found = values(r, path);
            if found.is_empty() {
                return matches!(op, CompareOp::Ne) && !matches!(want, CompValue::Null);
            }
            let exact = case_exact(path);
            found.iter().any(|v| compare(v, op, want, exact))
        }
    }
}

fn val_matches(item: &Value, f: &ValFilter) -> bool {
    match f {
        ValFilter::Attr(exp) => attr_matches(item, exp),
        ValFilter::Not(inner) => !val_matches(item, inner),
        ValFilter::And(ops) => ops.as_slice().iter().all(|f| val_matches(item, f)),
        ValFilter::Or(ops) => ops.as_slice().iter().any(|f| val_matches(item, f)),
    }
}

/// Whether a resource matches a filter.
pub fn matches(r: &Value, f: &Filter) -> bool {
    match f {
        Filter::Attr(exp) => attr_matches(r, exp),
        Filter::ValuePath(vp) => match lookup(r, &vp.attr.name) {
            Some(Value::Array(items)) => items.iter().any(|i| val_matches(i, &vp.filter)),
            Some(v) => val_matches(v, &vp.filter),
            None => false,
        },
        Filter::Not(inner) => !matches(r, inner),
        Filter::And(ops) => ops.as_slice().iter().all(|f| matches(r, f)),
        Filter::Or(ops) => ops.as_slice().iter().any(|f| matches(r, f)),
    }
}

/// One PATCH operation (RFC 7644 §3.5.2).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// `add`, `replace` or `remove`, any case.
    pub op: String,
    /// The attribute, if any.
    pub path: Option<String>,
    /// The value, if any.
    pub value: Option<Value>,
}

/// Attributes a provider may not write.
fn read_only(name: &str) -> bool {
    ["id", "meta", "schemas"]
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name))
}

/// The key under which `name` sits in `o` (any case), or `name` itself.
fn key_of(o: &Map<String, Value>, name: &str) -> String {
    o.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// Sets `value` at the top-level `name` of `o`: a multi-valued attribute
/// gains the values (`add`) or gets them (`replace`); a complex one merges
/// its sub-attributes (`add`/`replace` alike, RFC 7644 §3.5.2.1/3).
fn put(o: &mut Map<String, Value>, name: &str, value: Value, add: bool) {
    let key = key_of(o, name);
    match (o.get_mut(&key), value) {
        (Some(Value::Array(have)), Value::Array(more)) if add => have.extend(more),
        (Some(Value::Array(have)), v @ Value::Object(_)) if add => have.push(v),
        (Some(Value::Object(have)), Value::Object(more)) => {
            for (k, v) in more {
                let k = key_of(have, &k);
                have.insert(k, v);
            }
        }
        (_, v) => {
            o.insert(key, v);
        }
    }
}

/// Applies PATCH operations to a resource's JSON, or says which one is
/// refused and why. The result is checked by [`write_from`].
pub fn apply_patch(r: &mut Value, ops: &[PatchOperation]) -> Result<(), ScimError> {
    for op in ops {
        let kind = op.op.to_ascii_lowercase();
        if !matches!(kind.as_str(), "add" | "replace" | "remove") {
            return Err(ScimError::bad(
                "invalidSyntax",
                format!("op: expected add, replace or remove, not {:?}", op.op),
            ));
        }
        let Some(o) = r.as_object_mut() else {
            return Err(ScimError::bad("invalidSyntax", "not an object"));
        };
        let path = match op.path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(raw) => Some(
                raw.parse::<PatchPath>()
                    .map_err(|e| ScimError::bad("invalidPath", format!("path {raw:?}: {e}")))?,
            ),
        };
        let add = kind == "add";
        match (kind.as_str(), path) {
            ("remove", None) => {
                return Err(ScimError::bad("noTarget", "remove needs a path"));
            }
            (_, None) => {
                let Some(Value::Object(values)) = op.value.clone() else {
                    return Err(ScimError::bad(
                        "invalidValue",
                        "without a path, the value must be an object of attributes",
                    ));
                };
                for (name, v) in values {
                    // Entra ID sends dotted names here: "name.givenName".
                    match name.split_once('.') {
                        Some((top, sub)) if !read_only(top) => {
                            put(o, top, json!({ sub: v }), add);
                        }
                        _ if read_only(&name) || name.eq_ignore_ascii_case("schemas") => {}
                        _ => put(o, &name, v, add),
                    }
                }
            }
            (_, Some(PatchPath::Attr(path))) => {
                if read_only(&path.name) {
                    return Err(ScimError::bad(
                        "mutability",
                        format!("{} cannot be changed", path.name),
                    ));
                }
                let key = key_of(o, &path.name);
                match (kind.as_str(), &path.sub_attr) {
                    ("remove", None) => {
                        o.remove(&key);
                    }
                    ("remove", Some(sub)) => {
                        if let Some(Value::Object(inner)) = o.get_mut(&key) {
                            let k = key_of(inner, sub);
                            inner.remove(&k);
                        }
                    }
                    (_, None) => {
                        let v = op.value.clone().unwrap_or(Value::Null);
                        put(o, &path.name, v, add);
                    }
                    (_, Some(sub)) => {
                        let v = op.value.clone().unwrap_or(Value::Null);
                        put(o, &path.name, json!({ sub.as_str(): v }), add);
                    }
                }
            }
            (_, Some(PatchPath::Value(vp))) => {
                if read_only(&vp.attr.name) {
                    return Err(ScimError::bad(
                        "mutability",
                        format!("{} cannot be changed", vp.attr.name),
                    ));
                }
                let key = key_of(o, &vp.attr.name);
                let mut items = match o.remove(&key) {
                    Some(Value::Array(items)) => items,
                    Some(other) => vec![other],
                    None => Vec::new(),
                };
                let hit: Vec<bool> = items.iter().map(|i| val_matches(i, &vp.filter)).collect();
                if kind == "remove" {
                    match &vp.sub_attr {
                        None => {
                            let mut keep = hit.iter().map(|h| !h);
                            items.retain(|_| keep.next().unwrap_or(true));
                        }
                        Some(sub) => {
                            for (item, h) in items.iter_mut().zip(&hit) {
                                if let (true, Value::Object(m)) = (*h, item) {
                                    let k = key_of(m, sub);
                                    m.remove(&k);
                                }
                            }
                        }
                    }
                } else {
                    let v = op.value.clone().unwrap_or(Value::Null);
                    if !hit.contains(&true) {
                        // Nothing matches (Entra's `emails[type eq "work"].value`
                        // for a person without a work email): a new item
                        // with what the filter asked for.
                        let mut item = match &vp.filter {
                            ValFilter::Attr(AttrExp::Comparison(
                                p,
                                CompareOp::Eq,
                                CompValue::Str(s),
                            )) => {
                                json!({ p.name.as_str(): s })
                            }
                            _ => {
                                return Err(ScimError::bad(
                                    "noTarget",
                                    "the path's filter matches nothing",
                                ));
                            }
                        };
                        match (&vp.sub_attr, v.clone()) {
                            (Some(sub), v) => item[sub.as_str()] = v,
                            (None, Value::Object(m)) => {
                                for (k, v) in m {
                                    item[k.as_str()] = v;
                                }
                            }
                            (None, _) => {
                                return Err(ScimError::bad(
                                    "invalidValue",
                                    "expected an object for the matched item",
                                ));
                            }
                        }
                        items.push(item);
                    }
                    for (item, h) in items.iter_mut().zip(&hit) {
                        if !*h {
                            continue;
                        }
                        match (&vp.sub_attr, item) {
                            (Some(sub), Value::Object(m)) => {
                                let k = key_of(m, sub);
                                m.insert(k, v.clone());
                            }
                            (None, item) => match (item, &v) {
                                (Value::Object(m), Value::Object(more)) => {
                                    for (k, nv) in more {
                                        let k2 = key_of(m, k);
                                        m.insert(k2, nv.clone());
                                    }
                                }
                                (item, _) => *item = v.clone(),
                            },
                            _ => {}
                        }
                    }
                }
                o.insert(key, Value::Array(items));
            }
        }
    }
    Ok(())
}

/// The resource cut to `attributes` (when given) and without
/// `excludedAttributes` (RFC 7644 §3.9); `id` and `schemas` always stay.
pub fn project(r: &Value, attributes: Option<&str>, excluded: Option<&str>) -> Value {
    let list = |raw: Option<&str>| -> Vec<(String, Option<String>)> {
        raw.unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = s
                    .strip_prefix(USER_SCHEMA)
                    .map_or(s, |rest| rest.trim_start_matches(':'));
                match s.split_once('.') {
                    Some((a, b)) => (a.to_owned(), Some(b.to_owned())),
                    None => (s.to_owned(), None),
                }
            })
            .collect()
    };
    let Some(o) = r.as_object() else {
        return r.clone();
    };
    let keep = list(attributes);
    let drop = list(excluded);
    let always = |k: &str| k == "id" || k == "schemas";
    let mut out = Map::new();
    for (k, v) in o {
        if !keep.is_empty() && !always(k) {
            let wanted: Vec<&Option<String>> = keep
                .iter()
                .filter(|(a, _)| a.eq_ignore_ascii_case(k))
                .map(|(_, sub)| sub)
                .collect();
            if wanted.is_empty() {
                continue;
            }
            if wanted.iter().all(|s| s.is_some()) {
                let subs: Vec<&str> = wanted.iter().filter_map(|s| s.as_deref()).collect();
                out.insert(k.clone(), only_subs(v, &subs));
                continue;
            }
        }
        if !always(k) {
            let dropped: Vec<&Option<String>> = drop
                .iter()
                .filter(|(a, _)| a.eq_ignore_ascii_case(k))
                .map(|(_, sub)| sub)
                .collect();
            if dropped.iter().any(|s| s.is_none()) {
                continue;
            }
            if !dropped.is_empty() {
                let subs: Vec<&str> = dropped.iter().filter_map(|s| s.as_deref()).collect();
                out.insert(k.clone(), without_subs(v, &subs));
                continue;
            }
        }
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

fn only_subs(v: &Value, subs: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| subs.iter().any(|s| s.eq_ignore_ascii_case(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| only_subs(i, subs)).collect()),
        v => v.clone(),
    }
}

fn without_subs(v: &Value, subs: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !subs.iter().any(|s| s.eq_ignore_ascii_case(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| without_subs(i, subs)).collect()),
        v => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> Value {
        json!({
            "schemas": [USER_SCHEMA],
            "userName": "Alice@Customer.Example",
            "name": { "givenName": "Alice", "familyName": "Muster", "middleName": "dropped" },
            "emails": [
                { "value": "alice@home.example", "type": "home" },
                { "value": "alice@customer.example", "type": "work", "primary": true }
            ],
            "preferredLanguage": "de-CH",
            "externalId": "ext-1",
            "nickName": "ignored",
        })
    }

    #[test]
    fn a_write_keeps_what_kontor_stores_and_derives_the_person() {
        let w = write_from(&user(), Lang::En).unwrap();
        assert_eq!(w.email, "alice@customer.example");
        assert_eq!(w.name, "Alice Muster");
        assert_eq!(w.lang, Lang::De);
        assert_eq!(w.external_id.as_deref(), Some("ext-1"));
        assert!(w.active);
        assert_eq!(
            w.profile["name"],
            json!({ "givenName": "Alice", "familyName": "Muster" })
        );
        assert!(w.profile.get("nickName").is_none());
        // A user name that is no email: the primary email signs in, or
        // without any email the user name itself.
        let mut u = user();
        u["userName"] = json!("alice.m");
        assert_eq!(
            write_from(&u, Lang::En).unwrap().email,
            "alice@customer.example"
        );
        assert_eq!(
            write_from(&json!({ "userName": "Alice.M" }), Lang::En)
                .unwrap()
                .email,
            "alice.m"
        );
        // Display name first; active as a string (Entra ID).
        u["displayName"] = json!("Alice M.");
        u["active"] = json!("False");
        let w = write_from(&u, Lang::En).unwrap();
        assert_eq!((w.name.as_str(), w.active), ("Alice M.", false));
    }

    #[test]
    fn bad_writes_say_what_is_wrong() {
        let cases = [
            (json!({}), "userName is required"),
            (json!({ "userName": "a@b.example", "active": 3 }), "active"),
            (
                json!({ "userName": "a@b.example", "emails": "a@b.example" }),
                "emails",
            ),
            (
                json!({ "userName": "a@b.example", "name": "Alice" }),
                "name",
            ),
            (
                json!({ "userName": "a@b.example", "displayName": "x".repeat(MAX_STRING + 1) }),
                "displayName",
            ),
            (json!([]), "User object"),
        ];
        for (input, words) in cases {
            let e = write_from(&input, Lang::En).unwrap_err();
            assert_eq!(e.status, 400);
            assert!(matches!(
                e.scim_type,
                Some("invalidValue" | "invalidSyntax")
            ));
            assert!(e.detail.contains(words), "{input}: {}", e.detail);
        }
    }

    #[test]
    fn filters_follow_rfc_7644() {
        let r = user();
        let yes = [
            r#"userName eq "alice@customer.example""#,
            r#"USERNAME sw "ALICE""#,
            r#"emails[type eq "work" and value co "customer"]"#,
            r#"emails.value ew "home.example""#,
            r#"emails eq "alice@home.example""#,
            r#"name.familyName pr"#,
            r#"externalId eq "ext-1""#,
            r#"not (externalId eq "EXT-1")"#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alice@customer.example""#,
            r#"displayName pr or userName co "customer""#,
        ];
        for f in yes {
            assert!(matches(&r, &parse_filter(f).unwrap()), "{f}");
        }
        let no = [
            r#"userName eq "bob@customer.example""#,
            r#"emails[type eq "other"]"#,
            r#"displayName pr"#,
            r#"externalId eq "EXT-1""#,
            r#"userName co "alice" and externalId eq "x""#,
        ];
        for f in no {
            assert!(!matches(&r, &parse_filter(f).unwrap()), "{f}");
        }
        assert_eq!(
            parse_filter("userName eq").unwrap_err().scim_type,
            Some("invalidFilter")
        );
    }

    fn op(op: &str, path: Option<&str>, value: Value) -> PatchOperation {
        PatchOperation {
            op: op.into(),
            path: path.map(Into::into),
            value: Some(value),
        }
    }

    #[test]
    fn patch_operations_as_providers_send_them() {
        let mut r = user();
        apply_patch(
            &mut r,
            &[
                op("Replace", Some("name.givenName"), json!("Alicia")),
                op(
                    "replace",
                    Some("emails[type eq \"work\"].value"),
                    json!("alicia@customer.example"),
                ),
                op(
                    "add",
                    Some("emails[type eq \"other\"].value"),
                    json!("a@other.example"),
                ),
                op("remove", Some("emails[type eq \"home\"]"), Value::Null),
                // Entra ID: no path, dotted names, booleans as strings.
                op(
                    "Replace",
                    None,
                    json!({ "active": "False", "name.familyName": "Beispiel" }),
                ),
                op("add", Some("displayName"), json!("Alicia B.")),
            ],
        )
        .unwrap();
        assert_eq!(r["name"]["givenName"], "Alicia");
        assert_eq!(r["name"]["familyName"], "Beispiel");
        assert_eq!(
            r["emails"],
            json!([
                { "value": "alicia@customer.example", "type": "work", "primary": true },
                { "type": "other", "value": "a@other.example" }
            ])
        );
        let w = write_from(&r, Lang::En).unwrap();
        assert!(!w.active);
        assert_eq!(w.name, "Alicia B.");
        apply_patch(&mut r, &[op("remove", Some("displayName"), Value::Null)]).unwrap();
        assert!(r.get("displayName").is_none());
        for (bad, kind) in [
            (op("replace", Some("id"), json!("x")), "mutability"),
            (op("move", Some("userName"), json!("x")), "invalidSyntax"),
            (
                op("replace", Some("emails[type eq"), json!("x")),
                "invalidPath",
            ),
            (op("replace", None, json!("x")), "invalidValue"),
            (
                PatchOperation {
                    op: "remove".into(),
                    path: None,
                    value: None,
                },
                "noTarget",
            ),
        ] {
            assert_eq!(
                apply_patch(&mut r, &[bad]).unwrap_err().scim_type,
                Some(kind)
            );
        }
    }

    #[test]
    fn attributes_and_excluded_attributes_cut_the_resource() {
        let r = json!({ "id": "1", "schemas": [USER_SCHEMA], "userName": "a@b.example",
                        "name": { "givenName": "A", "familyName": "B" }, "active": true });
        assert_eq!(
            project(&r, Some("userName,name.givenName"), None),
            json!({ "id": "1", "schemas": [USER_SCHEMA], "userName": "a@b.example",
                    "name": { "givenName": "A" } })
        );
        assert_eq!(
            project(&r, None, Some("name.familyName, active")),
            json!({ "id": "1", "schemas": [USER_SCHEMA], "userName": "a@b.example",
                    "name": { "givenName": "A" } })
        );
    }
}
