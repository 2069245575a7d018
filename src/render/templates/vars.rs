//! The variables a template reads: a view serialised straight into Tera's context, field by
//! field (a hand serde `Serializer`: going through `serde_json::Value` first cost a copy of
//! every page's variables), and [`Prepared`] views converted once and shared by reference.

use crate::diag::{Diagnostic, Problem};
use tera::{Context, Value};

/// A view turned into the template engine's own value once, to be shown on many pages: Tera
/// copies such a value into a page's context by reference count instead of serialising it
/// again (a bulletin's card appears on its neighbours' pages, its tag pages, its year, its
/// territories and the archive).
#[derive(Clone)]
pub struct Prepared(Value);

impl Prepared {
    /// Converts a view once.
    pub fn new(view: &impl serde::Serialize) -> Self {
        Prepared(Value::from_serializable(view))
    }
}

impl Prepared {
    /// How many fields the view has (0 if it was not a struct).
    pub fn len(&self) -> usize {
        self.0.as_map().map_or(0, |m| m.len())
    }

    /// True when the view has no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the view's fields into a struct being serialised, to extend it with more:
    /// the names are the `&'static str`s the view's struct was serialised with, the values
    /// are cloned (Tera shares them). A view that was not a struct adds nothing but an error.
    pub fn fields<M: serde::ser::SerializeStruct>(&self, out: &mut M) -> Result<(), M::Error> {
        let Some(map) = self.0.as_map() else {
            return Err(serde::ser::Error::custom("a prepared view is not a struct"));
        };
        for (key, value) in map {
            match key {
                tera::value::Key::Str(name) => out.serialize_field(name, value)?,
                _ => {
                    return Err(serde::ser::Error::custom(
                        "a prepared view has a field without a fixed name",
                    ));
                }
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Prepared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// The top-level variables of a page: the fields of the structs (or the entries of the
/// maps) added, each converted to Tera's value on its own and keyed by its name as written
/// in the code. `Context::from_serialize` of one `#[serde(flatten)]` struct gave the same
/// variables through an intermediate map, with two copies of every name; at ten thousand
/// pages of twenty-odd variables that was a tenth of the time spent turning views into
/// values.
pub struct Vars(pub(super) Context);

impl Vars {
    /// The fields of `part`, which must serialise as a struct, a map or nothing.
    pub fn of(part: &impl serde::Serialize) -> Result<Self, Diagnostic> {
        Vars(Context::new()).and(part)
    }

    /// Adds the fields of `part`; a name already there takes the new value.
    pub fn and(mut self, part: &impl serde::Serialize) -> Result<Self, Diagnostic> {
        part.serialize(Fields(&mut self.0))
            .map_err(|VarsError(detail)| Diagnostic::global(Problem::Template { detail }))?;
        Ok(self)
    }

    /// Adds one variable already converted.
    pub fn with(mut self, name: &'static str, value: Value) -> Self {
        self.0.insert_value(name, value);
        self
    }
}

/// Why a part could not become variables (a view that is not a struct or a map, or a
/// value Tera cannot hold): a bug of ours, reported rather than panicked on.
#[derive(Debug)]
pub(super) struct VarsError(String);

impl std::fmt::Display for VarsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VarsError {}

impl serde::ser::Error for VarsError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        VarsError(msg.to_string())
    }
}

/// A serde serialiser that takes a struct or a map apart into a context's variables.
pub(super) struct Fields<'c>(&'c mut Context);

/// One value, converted by Tera (which clones a [`Prepared`] value instead of converting
/// it again).
pub(super) fn tera_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, VarsError> {
    Value::try_from_serializable(value).map_err(|e| VarsError(e.to_string()))
}

/// The map key Tera would make of `key`, as a variable name.
pub(super) fn key_name<T: serde::Serialize + ?Sized>(key: &T) -> Result<String, VarsError> {
    let key = tera_value(key)?;
    key.as_str()
        .map(str::to_string)
        .ok_or_else(|| VarsError(format!("a variable name must be text, not {}", key.name())))
}

/// What [`Fields`] does with anything that is not a struct or a map.
pub(super) fn not_fields<T>(what: &str) -> Result<T, VarsError> {
    Err(VarsError(format!(
        "the variables of a page must be a struct or a map, not {what}"
    )))
}

pub(super) type Never = serde::ser::Impossible<(), VarsError>;

impl<'c> serde::Serializer for Fields<'c> {
    type Ok = ();
    type Error = VarsError;
    type SerializeSeq = Never;
    type SerializeTuple = Never;
    type SerializeTupleStruct = Never;
    type SerializeTupleVariant = Never;
    type SerializeMap = FieldsMap<'c>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Never;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, VarsError> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<FieldsMap<'c>, VarsError> {
        Ok(FieldsMap(self.0, None))
    }
    /// Nothing: no variables.
    fn serialize_unit(self) -> Result<(), VarsError> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), VarsError> {
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), VarsError> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), VarsError> {
        v.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), VarsError> {
        not_fields("a boolean")
    }
    fn serialize_i64(self, _: i64) -> Result<(), VarsError> {
        not_fields("a number")
    }
    fn serialize_u64(self, _: u64) -> Result<(), VarsError> {
        not_fields("a number")
    }
    fn serialize_f64(self, _: f64) -> Result<(), VarsError> {
        not_fields("a number")
    }
    fn serialize_i8(self, v: i8) -> Result<(), VarsError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), VarsError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), VarsError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<(), VarsError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), VarsError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), VarsError> {
        self.serialize_u64(v.into())
    }
    fn serialize_f32(self, v: f32) -> Result<(), VarsError> {
        self.serialize_f64(v.into())
    }
    fn serialize_char(self, _: char) -> Result<(), VarsError> {
        not_fields("text")
    }
    fn serialize_str(self, _: &str) -> Result<(), VarsError> {
        not_fields("text")
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), VarsError> {
        not_fields("bytes")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), VarsError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), VarsError> {
        not_fields("an enum")
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), VarsError> {
        not_fields("an enum")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Never, VarsError> {
        not_fields("a list")
    }
    fn serialize_tuple(self, _: usize) -> Result<Never, VarsError> {
        not_fields("a list")
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Never, VarsError> {
        not_fields("a list")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, VarsError> {
        not_fields("an enum")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, VarsError> {
        not_fields("an enum")
    }
}

impl serde::ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = VarsError;

    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), VarsError> {
        self.0.insert_value(name, tera_value(value)?);
        Ok(())
    }

    fn end(self) -> Result<(), VarsError> {
        Ok(())
    }
}

/// A map taken apart: its keys must be text.
pub(super) struct FieldsMap<'c>(&'c mut Context, Option<String>);

impl serde::ser::SerializeMap for FieldsMap<'_> {
    type Ok = ();
    type Error = VarsError;

    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), VarsError> {
        self.1 = Some(key_name(key)?);
        Ok(())
    }

    fn serialize_value<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), VarsError> {
        let name = self
            .1
            .take()
            .ok_or_else(|| VarsError("a value without a name".into()))?;
        self.0.insert_value(name, tera_value(value)?);
        Ok(())
    }

    fn end(self) -> Result<(), VarsError> {
        Ok(())
    }
}
