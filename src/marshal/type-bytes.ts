// Type bytes of Marshal 4.8 (marshal.c TYPE_*), shared by the parser, the canonical scan beside it, and the
// generator, so that a change to one is seen in the others.

export const T_NIL = 0x30; // 0
export const T_TRUE = 0x54; // T
export const T_FALSE = 0x46; // F
export const T_FIXNUM = 0x69; // i
export const T_BIGNUM = 0x6c; // l
export const T_FLOAT = 0x66; // f
export const T_STRING = 0x22; // "
export const T_SYMBOL = 0x3a; // :
export const T_SYMLINK = 0x3b; // ;
export const T_LINK = 0x40; // @
export const T_IVAR = 0x49; // I
export const T_EXTENDED = 0x65; // e
export const T_UCLASS = 0x43; // C
export const T_OBJECT = 0x6f; // o
export const T_USERDEF = 0x75; // u
export const T_USRMARSHAL = 0x55; // U
export const T_ARRAY = 0x5b; // [
export const T_HASH = 0x7b; // {
export const T_HASH_DEF = 0x7d; // }
export const T_REGEXP = 0x2f; // /
export const T_STRUCT = 0x53; // S
export const T_CLASS = 0x63; // c
export const T_MODULE = 0x6d; // m
export const T_OLD_MODULE = 0x4d; // M
export const T_DATA = 0x64; // d

/** Ruby's Fixnum range on the wire: `i` holds -2^30 .. 2^30-1 even on 64-bit Ruby. */
export const FIXNUM_MIN = -(2 ** 30);
export const FIXNUM_MAX = 2 ** 30 - 1;
