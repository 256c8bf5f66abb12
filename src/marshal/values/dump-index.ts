/**
 * `dump`'s object table in the objects. Ruby links a repeated object by identity (`@` and its index in the object
 * table), so dump must find each object it has written before; a Map entry per object was the largest cost of
 * dumping a session. RubyString and RubyHash, the records a session holds most of, instead carry a private field in
 * which a dump notes the object's index; their class bodies, where the field is visible, make the functions that
 * read and set it. Indexes grow from dump to dump, so a dump tells its own notes from an earlier one's (and, once
 * they start again from 0 to stay small integers, checks each note against its own table: see generate.ts). The
 * field is private: not enumerable, not seen by deep-equality checks or JSON, writable on a frozen object. An
 * object of another copy of this package has another private name, and dump keeps it in the Map.
 */
export interface DumpIndexAccess {
  /** The index the last dump that wrote `value` gave it (-1 if none has), or NOT_INDEXED if `value` has no field. */
  read(value: object): number;
  /** Sets the index; `value` has the field (`read` said so). */
  write(value: object, index: number): void;
}

/** What `DumpIndexAccess.read` answers for an object without the field (not a record of this copy). */
export const NOT_INDEXED = -2;
