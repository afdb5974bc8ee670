//! The `linux_struct!` macro: a Linux struct whose bytes in user memory are its
//! `repr(C)` layout on x86-64, converted to and from those bytes by `zerocopy`
//! (which refuses, at compile time, a struct with padding: explicit `pad` fields
//! stand where C has padding).

/// Defines a `#[repr(C)]` Linux struct of a given size with `SIZE`, `to_bytes` and
/// `from_bytes`. Compile-time checks: the size is the given one, and the struct has no
/// padding (zerocopy's `IntoBytes`), so its bytes are exactly what Linux lays out.
macro_rules! linux_struct {
    (
        $(#[$attr:meta])*
        pub struct $name:ident ($size:literal bytes) {
            $($(#[$field_attr:meta])* pub $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$attr])*
        #[repr(C)]
        #[derive(zerocopy::IntoBytes, zerocopy::FromBytes, zerocopy::Immutable)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        const _: () = assert!(size_of::<$name>() == $size);

        impl $name {
            /// The size of the struct in user memory, in bytes.
            pub const SIZE: usize = $size;

            /// The bytes of this struct as Linux lays it out, to copy to user memory.
            pub fn to_bytes(&self) -> [u8; $size] {
                *self.as_bytes()
            }

            /// The same bytes, in place.
            pub fn as_bytes(&self) -> &[u8; $size] {
                zerocopy::transmute_ref!(self)
            }

            /// The struct from bytes copied from user memory.
            pub fn from_bytes(bytes: &[u8; $size]) -> Self {
                zerocopy::transmute!(*bytes)
            }
        }
    };
}
