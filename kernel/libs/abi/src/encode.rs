//! The byte encoding of the Linux structs: each field's little-endian bytes in
//! declaration order, and the `linux_struct!` macro that defines a struct together with
//! its `to_bytes`/`from_bytes` and the checks that this encoding is its `repr(C)` layout.

/// Writes fields one after another into a byte buffer.
pub(crate) struct FieldWriter<'a> {
    bytes: &'a mut [u8],
    at: usize,
}

impl<'a> FieldWriter<'a> {
    pub(crate) fn new(bytes: &'a mut [u8]) -> Self {
        FieldWriter { bytes, at: 0 }
    }

    fn put(&mut self, field: &[u8]) {
        self.bytes[self.at..self.at + field.len()].copy_from_slice(field);
        self.at += field.len();
    }
}

/// Reads fields one after another from a byte buffer.
pub(crate) struct FieldReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> FieldReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        FieldReader { bytes, at: 0 }
    }

    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut field = [0; N];
        field.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        field
    }
}

/// A field type of a Linux struct: a fixed number of little-endian bytes.
pub(crate) trait Field: Sized {
    const SIZE: usize;
    fn write(&self, writer: &mut FieldWriter<'_>);
    fn read(reader: &mut FieldReader<'_>) -> Self;
}

macro_rules! integer_fields {
    ($($int:ty),*) => {$(
        impl Field for $int {
            const SIZE: usize = size_of::<$int>();
            fn write(&self, writer: &mut FieldWriter<'_>) {
                writer.put(&self.to_le_bytes());
            }
            fn read(reader: &mut FieldReader<'_>) -> Self {
                <$int>::from_le_bytes(reader.take())
            }
        }
    )*};
}

integer_fields!(u8, u16, u32, u64, i16, i32, i64);

impl<T: Field, const N: usize> Field for [T; N] {
    const SIZE: usize = T::SIZE * N;
    fn write(&self, writer: &mut FieldWriter<'_>) {
        for element in self {
            element.write(writer);
        }
    }
    fn read(reader: &mut FieldReader<'_>) -> Self {
        core::array::from_fn(|_| T::read(reader))
    }
}

/// Defines a `#[repr(C)]` Linux struct of a given size with `SIZE`, `to_bytes` and
/// `from_bytes`. Compile-time checks: the size is the given one, and the fields' sizes
/// add up to it, so the struct has no padding and the field-by-field encoding is exactly
/// its memory layout on x86-64 (explicit `pad` fields stand where C has padding).
macro_rules! linux_struct {
    (
        $(#[$attr:meta])*
        pub struct $name:ident ($size:literal bytes) {
            $($(#[$field_attr:meta])* pub $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$attr])*
        #[repr(C)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        const _: () = assert!(size_of::<$name>() == $size);
        const _: () = assert!(0 $(+ <$type as $crate::encode::Field>::SIZE)* == $size);

        impl $name {
            /// The size of the struct in user memory, in bytes.
            pub const SIZE: usize = $size;

            /// The bytes of this struct as Linux lays it out, to copy to user memory.
            pub fn to_bytes(&self) -> [u8; $size] {
                let mut bytes = [0; $size];
                $crate::encode::Field::write(self, &mut $crate::encode::FieldWriter::new(&mut bytes));
                bytes
            }

            /// The struct from bytes copied from user memory.
            pub fn from_bytes(bytes: &[u8; $size]) -> Self {
                $crate::encode::Field::read(&mut $crate::encode::FieldReader::new(bytes))
            }
        }

        impl $crate::encode::Field for $name {
            const SIZE: usize = $size;
            fn write(&self, writer: &mut $crate::encode::FieldWriter<'_>) {
                $($crate::encode::Field::write(&self.$field, writer);)*
            }
            fn read(reader: &mut $crate::encode::FieldReader<'_>) -> Self {
                $name {
                    $($field: $crate::encode::Field::read(reader),)*
                }
            }
        }
    };
}
