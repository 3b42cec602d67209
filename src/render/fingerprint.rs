//! Fingerprints of template contexts: a serde [`Serializer`] that feeds what it is given straight
//! into XXH3-128, without building or printing anything.
//!
//! Every value is written as a one-byte tag followed by its data; strings and byte strings with
//! their length first, sequences and maps with an end mark, so two different values never write
//! the same bytes (a sequence `["ab"]` and `["a", "b"]`, a map and a struct, `None` and unit all
//! differ). Everything that reaches a Tera context through `serde_json` reaches this the same
//! way, so equal fingerprints mean equal contexts, up to a 128-bit hash collision.

use serde::Serialize;
use serde::ser::{self, Serializer};

/// 128 bits identifying everything an output was rendered from.
pub(crate) type Fingerprint = [u64; 2];

/// Hashes values as they would be serialized into a template context, without allocating.
#[derive(Default)]
pub(crate) struct FingerprintWriter(xxhash_rust::xxh3::Xxh3Default);

impl FingerprintWriter {
    /// Adds `value` under `key`.
    pub(crate) fn add<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.str(key);
        // Serializing into a hash cannot fail; an error from a value's own `Serialize` (which
        // would make its template context fail as well) still changes the fingerprint.
        if value.serialize(&mut *self).is_err() {
            self.tag(b'!');
        }
    }

    /// Adds raw bytes, with their length.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn finish(self) -> Fingerprint {
        let digest = self.0.digest128();
        [digest as u64, (digest >> 64) as u64]
    }

    fn tag(&mut self, tag: u8) {
        self.0.update(&[tag]);
    }

    fn str(&mut self, text: &str) {
        self.tag(b's');
        self.bytes(text.as_bytes());
    }

    fn number(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.0.update(bytes);
    }
}

/// Never produced by the writer itself; only a value's own `Serialize` can fail.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Error {
        Error(message.to_string())
    }
}

type Done = Result<(), Error>;

impl Serializer for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.number(b'b', &[u8::from(v)]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.number(b'i', &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.number(b'I', &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.number(b'u', &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.number(b'U', &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.number(b'f', &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.tag(b'B');
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tag(b'n');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(b'o');
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(b'(');
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Done {
        self.str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.tag(b'v');
        self.str(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(b'[');
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Error> {
        self.tag(b'v');
        self.str(variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Error> {
        self.tag(b'v');
        self.str(variant);
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.tag(b',');
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.tag(b':');
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.tag(b'=');
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.tag(b':');
        self.str(key);
        self.tag(b'=');
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(b'}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut FingerprintWriter {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Done {
        ser::SerializeStruct::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn of<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
        let mut writer = FingerprintWriter::default();
        writer.add("k", value);
        writer.finish()
    }

    #[test]
    fn different_values_differ() {
        let strings = [of(&["ab"]), of(&["a", "b"]), of(&["a", "b", ""])];
        assert_ne!(strings[0], strings[1]);
        assert_ne!(strings[1], strings[2]);
        assert_ne!(of(&None::<u32>), of(&()));
        assert_ne!(of(&Some(0u32)), of(&0u32));
        assert_ne!(of(&1u32), of(&1i32));
        assert_ne!(of(&vec![vec![1u8], vec![]]), of(&vec![vec![], vec![1u8]]));
        fn map(pairs: &[(&'static str, &'static str)]) -> BTreeMap<&'static str, &'static str> {
            pairs.iter().copied().collect()
        }
        assert_ne!(of(&map(&[("a", "bc")])), of(&map(&[("ab", "c")])));
        assert_ne!(of(&map(&[("a", "b")])), of(&["a", "b"]));
    }

    #[test]
    fn equal_values_agree_and_keys_count() {
        assert_eq!(of(&["x", "y"]), of(&vec!["x".to_string(), "y".to_string()]));
        let mut a = FingerprintWriter::default();
        a.add("page", "x");
        let mut b = FingerprintWriter::default();
        b.add("section", "x");
        assert_ne!(a.finish(), b.finish());
    }
}
