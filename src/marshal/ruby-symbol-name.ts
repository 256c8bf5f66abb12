import { latin1Decode } from './text.js';

// Whether Ruby 3.1's Symbol#inspect may write a symbol bare (`:name`), as far as its bytes go: `rb_enc_symname_type`
// (symbol.c) with the attribute-assignment names the parser takes (`IDSET_ATTRSET_FOR_SYNTAX`: `name=`, `Name=`,
// not `@name=`), as regexps on the bytes (one character each, latin1). Every byte from 0x80 counts as an
// identifier character, as Ruby's `is_identchar` has it; whether each character is printable is checked apart.

/** The operator names: `<=>`, `[]=`, `!`, `` ` ``, ... */
const OPERATOR = /^(?:[|^&/%~`!]|<[<=]?|<=>|>[>=]?|=~|===?|\*\*?|[+-]@?|\[\]=?|![=~])$/;
/** `is_special_global_name`: `$~`, `$-w`, `$-é` (one character after the `-`), `$1`, `$12`; a `0` is punctuation (`$0`, not `$00`). */
const SPECIAL_GLOBAL = /^\$(?:[~*$?!@/\\;,.=:<>"&`'+0]|-(?:\w|[\x80-\xff][\x80-\xbf]*)|[1-9]\d*)$/;
/** A local or constant name with its `?`, `!` or `=`; a global, instance or class variable name. */
const IDENTIFIER = /^(?:[A-Za-z_\x80-\xff][\w\x80-\xff]*[?!=]?|(?:\$|@@|@(?!@))[A-Za-z_\x80-\xff][\w\x80-\xff]*)$/;
/**
 * Where Ruby's scan reaches its identifier part (after `$`, `@` or `@@`, or at a first character no operator
 * starts with) and finds no identifier start there: then a name ending in `=` is taken whole (`:1=`, `:@=`) unless
 * the name without its `=` is itself an assignment name.
 */
const NO_IDENTIFIER = /^(?:\$|@@|@(?!@)|(?=\[(?!\]))|(?![$@<>=*+\-|^&/%~`![]))(?![A-Za-z_\x80-\xff])/;

const NONE = 0;
const PLAIN = 1;
const ATTRSET = 2;

/** True when `bytes` read as a name `Symbol#inspect` writes without quotes (no NUL, and `rb_enc_symname2_p`). */
export function isPlainSymbolName(bytes: Uint8Array): boolean {
  return bytes.indexOf(0) < 0 && symbolNameType(latin1Decode(bytes)) !== NONE;
}

function symbolNameType(name: string): number {
  if (OPERATOR.test(name) || SPECIAL_GLOBAL.test(name)) return PLAIN;
  if (IDENTIFIER.test(name)) return name.endsWith('=') ? ATTRSET : PLAIN;
  if (name.length > 1 && name.endsWith('=') && NO_IDENTIFIER.test(name) && symbolNameType(name.slice(0, -1)) !== ATTRSET) return ATTRSET;
  return NONE;
}
